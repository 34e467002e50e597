// The public side: the public JSON of the booking pages, and the pages themselves with their assets (the
// links a booking carries are BookingLinksModule's).
import { Module } from '@nestjs/common';
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
import { WebAssets } from '../web/web-assets.js';
import { WebPagesController } from '../web/web-pages.controller.js';
import { SetupPagesController } from '../web/setup-pages.controller.js';
import { ConsentLinks } from '@application/ports/consent-links.js';
import { MicrosoftConnectionRepository } from '@application/ports/microsoft-connection.repository.js';
import { TenantConsentRepository } from '@application/ports/tenant-consent.repository.js';
import { GetConnectionResult } from '@application/connection/get-connection-result.use-case.js';
import { GetAdminConsentResult } from '@application/consent/get-admin-consent-result.use-case.js';
import { OpenAdminConsentPage } from '@application/consent/open-admin-consent-page.use-case.js';
import { PublicBookingController } from '../http/controllers/public-booking.controller.js';
import { AvailabilityModule } from './availability.module.js';
import { BookingModule } from './booking.module.js';
import { construct } from './provide.js';

@Module({
  imports: [AvailabilityModule, BookingModule],
  controllers: [PublicBookingController, WebPagesController, SetupPagesController],
  providers: [
    construct(WebAssets, []),
    construct(GetBookingPage, [EventTypeRepository, MemberRepository, WorkspaceRepository]),
    construct(OpenManageLink, [BookingRepository, ManageTokens, Clock]),
    construct(PublicBookingViews, [MemberRepository, BookingResources, PublicLinks]),
    // The setup guide's screens (connection result, admin consent before and after Microsoft).
    construct(GetConnectionResult, [
      ConsentLinks,
      WorkspaceRepository,
      MemberRepository,
      MicrosoftConnectionRepository,
      Clock,
    ]),
    construct(OpenAdminConsentPage, [ConsentLinks, WorkspaceRepository, Clock]),
    construct(GetAdminConsentResult, [ConsentLinks, WorkspaceRepository, TenantConsentRepository, Clock]),
  ],
  exports: [WebAssets],
})
export class WebModule {}
