// The setup guide's screens: where a member's Microsoft sign-in ends when no return URL is set, and the
// administrator's consent page before and after Microsoft. Each page opens a signed `link` (the result
// the service decided, or the consent link); a forged or expired one shows no detail at all.
import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ALL_PERMISSIONS } from '@domain/consent/permissions.js';
import { GetConnectionResult } from '@application/connection/get-connection-result.use-case.js';
import { GetAdminConsentResult } from '@application/consent/get-admin-consent-result.use-case.js';
import { OpenAdminConsentPage } from '@application/consent/open-admin-consent-page.use-case.js';
import { Public } from '../http/auth.js';
import { messagePage } from './html.js';
import {
  adminConsentPageHtml,
  adminConsentResultHtml,
  connectionResultHtml,
  EXPIRED_CONSENT_LINK,
  EXPIRED_RESULT,
  type ResultWords,
} from './setup-templates.js';
import { WebAssets } from './web-assets.js';
import { pageCsp } from './web-pages.controller.js';

/** The button's target: the existing route that makes a fresh single-use state and goes to Microsoft. */
export const ADMIN_CONSENT_START_PATH = '/oauth/microsoft/admin-consent/start';

function linkOf(value: unknown): string {
  const raw = Array.isArray(value) ? (value[0] as unknown) : value;
  return typeof raw === 'string' && raw.length <= 4000 ? raw : '';
}

@ApiExcludeController()
@Public()
@Controller('microsoft')
export class SetupPagesController {
  constructor(
    private readonly assets: WebAssets,
    private readonly connectionResult: GetConnectionResult,
    private readonly adminConsentPage: OpenAdminConsentPage,
    private readonly adminConsentResult: GetAdminConsentResult,
  ) {}

  @Get('connection-result')
  async connection(@Query('link') link: unknown, @Res() reply: FastifyReply): Promise<void> {
    const view = await this.connectionResult.execute(linkOf(link));
    if (!view) return this.expired(reply, EXPIRED_RESULT);
    this.send(reply, 200, connectionResultHtml(this.assets, view));
  }

  @Get('admin-consent')
  async adminConsent(@Query('link') link: unknown, @Res() reply: FastifyReply): Promise<void> {
    const token = linkOf(link);
    const view = await this.adminConsentPage.execute(token);
    if (!view) return this.expired(reply, EXPIRED_CONSENT_LINK);
    const continueHref = `${ADMIN_CONSENT_START_PATH}?link=${encodeURIComponent(token)}`;
    this.send(reply, 200, adminConsentPageHtml(this.assets, view, ALL_PERMISSIONS, continueHref));
  }

  @Get('admin-consent/result')
  async adminConsentDone(@Query('link') link: unknown, @Res() reply: FastifyReply): Promise<void> {
    const view = await this.adminConsentResult.execute(linkOf(link));
    if (!view) return this.expired(reply, EXPIRED_RESULT);
    this.send(reply, 200, adminConsentResultHtml(this.assets, view, ALL_PERMISSIONS));
  }

  private expired(reply: FastifyReply, words: ResultWords): void {
    this.send(reply, 404, messagePage(this.assets, words.title, words.sentences));
  }

  /** Never framed, never cached (the pages name people), and the link never leaks as a Referer. */
  private send(reply: FastifyReply, status: number, body: string): void {
    void reply
      .status(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', pageCsp("'none'"))
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .header('x-robots-tag', 'noindex')
      .send(body);
  }
}
