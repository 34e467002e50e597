// The public side: the links a booking carries (manage tokens sealed with TOKEN_ENCRYPTION_KEY, URLs under
// PUBLIC_URL), the public JSON of the pages, and the pages themselves with their assets.
import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { Clock } from '@application/ports/clock.js';
import { BookingRepository } from '@application/ports/booking.repository.js';
import { EventTypeRepository } from '@application/ports/event-type.repository.js';
import { ManageTokens } from '@application/ports/manage-tokens.js';
import { MemberRepository } from '@application/ports/member.repository.js';
import { PublicLinks } from '@application/ports/public-links.js';
import { WorkspaceRepository } from '@application/ports/workspace.repository.js';
import { BookingResources } from '@application/booking/booking-resource.js';
import { GetBookingPage } from '@application/booking-page/get-booking-page.use-case.js';
import { OpenManageLink } from '@application/booking-page/open-manage-link.use-case.js';
import { PublicBookingViews } from '@application/booking-page/public-booking-view.js';
import { NodeCryptoManageTokens } from '../system/node-crypto-manage-tokens.js';
import { SealedBox } from '../crypto/sealed-box.js';
import { UrlPublicLinks } from '../web/url-public-links.js';
import { WebAssets } from '../web/web-assets.js';
import { WebPagesController } from '../web/web-pages.controller.js';
import { SetupPagesController } from '../web/setup-pages.controller.js';
import { ConsentLinks } from '@application/ports/consent-links.js';
import {
  MicrosoftConnectionRepository,
  TenantConsentRepository,
} from '@application/ports/microsoft-connection.repository.js';
import { GetConnectionResult } from '@application/connection/get-connection-result.use-case.js';
import {
  GetAdminConsentResult,
  OpenAdminConsentPage,
} from '@application/consent/admin-consent-pages.use-case.js';
import { PublicBookingController } from '../http/controllers/public-booking.controller.js';
import { AvailabilityModule } from './availability.module.js';
import { BookingModule } from './booking.module.js';

function factory<T>(
  provide: abstract new (...args: never[]) => T,
  inject: unknown[],
  make: (...deps: never[]) => T,
) {
  return { provide, useFactory: make, inject } as Provider;
}

/** What every booking resource needs (API responses and webhooks alike), so it is global. */
@Global()
@Module({})
export class BookingLinksModule {
  static forRoot(options: { publicUrl: string; encryptionKeys: Buffer[] }): DynamicModule {
    return {
      module: BookingLinksModule,
      providers: [
        {
          provide: ManageTokens,
          useFactory: () => new NodeCryptoManageTokens(new SealedBox(options.encryptionKeys)),
        },
        { provide: PublicLinks, useFactory: () => new UrlPublicLinks(options.publicUrl) },
        factory(
          BookingResources,
          [ManageTokens, PublicLinks],
          (t: ManageTokens, l: PublicLinks) => new BookingResources(t, l),
        ),
      ],
      exports: [ManageTokens, PublicLinks, BookingResources],
    };
  }
}

@Module({
  imports: [AvailabilityModule, BookingModule],
  controllers: [PublicBookingController, WebPagesController, SetupPagesController],
  providers: [
    { provide: WebAssets, useFactory: () => new WebAssets() },
    factory(
      GetBookingPage,
      [EventTypeRepository, MemberRepository, WorkspaceRepository],
      (e: EventTypeRepository, m: MemberRepository, w: WorkspaceRepository) => new GetBookingPage(e, m, w),
    ),
    factory(
      OpenManageLink,
      [BookingRepository, ManageTokens, Clock],
      (b: BookingRepository, t: ManageTokens, c: Clock) => new OpenManageLink(b, t, c),
    ),
    factory(
      PublicBookingViews,
      [MemberRepository, BookingResources, PublicLinks],
      (m: MemberRepository, r: BookingResources, l: PublicLinks) => new PublicBookingViews(m, r, l),
    ),
    // The setup guide's screens (connection result, admin consent before and after Microsoft).
    factory(
      GetConnectionResult,
      [ConsentLinks, WorkspaceRepository, MemberRepository, MicrosoftConnectionRepository, Clock],
      (
        l: ConsentLinks,
        w: WorkspaceRepository,
        m: MemberRepository,
        c: MicrosoftConnectionRepository,
        k: Clock,
      ) => new GetConnectionResult(l, w, m, c, k),
    ),
    factory(
      OpenAdminConsentPage,
      [ConsentLinks, WorkspaceRepository, Clock],
      (l: ConsentLinks, w: WorkspaceRepository, k: Clock) => new OpenAdminConsentPage(l, w, k),
    ),
    factory(
      GetAdminConsentResult,
      [ConsentLinks, WorkspaceRepository, TenantConsentRepository, Clock],
      (l: ConsentLinks, w: WorkspaceRepository, t: TenantConsentRepository, k: Clock) =>
        new GetAdminConsentResult(l, w, t, k),
    ),
  ],
  exports: [WebAssets],
})
export class WebModule {}
