// The mailbox's time zone as Microsoft named it, kept beside the IANA zone: a custom zone no table maps
// stays visible (microsoft.warnings TIME_ZONE_UNMAPPED) instead of silently becoming "unknown".
import { Migration } from '@mikro-orm/migrations';

export class Migration0011ConnectionWindowsTimeZone extends Migration {
  override name = '0011-connection-windows-time-zone';

  override up(): void {
    this.addSql('alter table microsoft_connections add column windows_time_zone text null');
  }

  override down(): void {
    this.addSql('alter table microsoft_connections drop column windows_time_zone');
  }
}
