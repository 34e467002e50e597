// Admin consent hands its state over to the administrator's sign-in (purpose `admin_sign_in`), which must
// be in the tenant Microsoft reported: states now carry that tenant.
import { Migration } from '@mikro-orm/migrations';

export class Migration0014AuthorizationStateTenant extends Migration {
  override name = '0014-authorization-state-tenant';

  override up(): void {
    this.addSql('alter table authorization_states add column tenant text null');
    this.addSql('alter table authorization_states drop constraint authorization_states_purpose_check');
    this.addSql(
      `alter table authorization_states add constraint authorization_states_purpose_check
       check (purpose in ('member_connection', 'admin_consent', 'admin_sign_in'))`,
    );
  }

  override down(): void {
    this.addSql("delete from authorization_states where purpose = 'admin_sign_in'");
    this.addSql('alter table authorization_states drop constraint authorization_states_purpose_check');
    this.addSql(
      `alter table authorization_states add constraint authorization_states_purpose_check
       check (purpose in ('member_connection', 'admin_consent'))`,
    );
    this.addSql('alter table authorization_states drop column tenant');
  }
}
