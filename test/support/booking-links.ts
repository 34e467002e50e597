// The real manage-token adapter (AES-GCM under a fixed test key) and links under a test PUBLIC_URL, for
// use-case tests that build booking resources.
import { BookingResources } from '@application/booking/booking-resource.js';
import { NodeCryptoManageTokens } from '@adapters/system/node-crypto-manage-tokens.js';
import { SealedBox } from '@adapters/crypto/sealed-box.js';
import { UrlPublicLinks } from '@adapters/web/url-public-links.js';

export const TEST_LINKS_URL = 'https://kailenty.test';

export function testManageTokens(): NodeCryptoManageTokens {
  return new NodeCryptoManageTokens(new SealedBox([Buffer.alloc(32, 9)]));
}

export function testBookingResources(tokens = testManageTokens()): BookingResources {
  return new BookingResources(tokens, new UrlPublicLinks(TEST_LINKS_URL));
}
