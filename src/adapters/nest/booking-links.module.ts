// The links a booking carries: manage tokens sealed by the persistence wiring's SealedBox, URLs under
// PUBLIC_URL. Global, since every booking resource (API responses and webhooks alike) needs them.
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ManageTokens } from '@application/ports/manage-tokens.js';
import { PublicLinks } from '@application/ports/public-links.js';
import { BookingResources } from '@application/booking/booking-resource.js';
import { NodeCryptoManageTokens } from '../system/node-crypto-manage-tokens.js';
import { SealedBox } from '../crypto/sealed-box.js';
import { UrlPublicLinks } from '../web/url-public-links.js';
import { bind, construct, given } from './provide.js';

/** What every booking resource needs (API responses and webhooks alike), so it is global. */
@Global()
@Module({})
export class BookingLinksModule {
  static forRoot(options: { publicUrl: string }): DynamicModule {
    return {
      module: BookingLinksModule,
      providers: [
        bind(ManageTokens, NodeCryptoManageTokens, [SealedBox]),
        bind(PublicLinks, UrlPublicLinks, [given(options.publicUrl)]),
        construct(BookingResources, [ManageTokens, PublicLinks]),
      ],
      exports: [ManageTokens, PublicLinks, BookingResources],
    };
  }
}
