// The pages people open in a browser: an event type's booking page, a guest's manage page, the embed
// script and the pages' assets. HTML answers carry their own Content-Security-Policy: scripts and styles
// from this origin only (no inline code); only the booking page may be framed by other sites.
import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '@domain/shared/domain-error.js';
import { isUuid } from '@domain/shared/validation.js';
import { GetBookingPage } from '@application/booking-page/get-booking-page.use-case.js';
import { OpenManageLink } from '@application/booking-page/open-manage-link.use-case.js';
import { PublicBookingViews } from '@application/booking-page/public-booking-view.js';
import { Public } from '../http/auth.js';
import { messagePage } from './html.js';
import { bookingPageHtml, managePageHtml } from './booking-templates.js';
import { WebAssets, type WebAsset } from './web-assets.js';

/** 'self' scripts and styles, JSON to this origin, nothing else; `frameAncestors` decides who may frame. */
export function pageCsp(frameAncestors: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

/** The `embed` parameter names the embedding page's origin; anything that is not exactly an origin is ignored. */
export function embedOrigin(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 300) return null;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value ? value : null;
  } catch {
    return null;
  }
}

@ApiExcludeController()
@Public()
@Controller()
export class WebPagesController {
  constructor(
    private readonly assets: WebAssets,
    private readonly bookingPage: GetBookingPage,
    private readonly manageLink: OpenManageLink,
    private readonly views: PublicBookingViews,
  ) {}

  @Get('book/:eventTypeId')
  async book(
    @Param('eventTypeId') id: string,
    @Query('embed') embed: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Framed anywhere (the embed), but never told to guess: an unknown or disabled page is a 404 page.
    const page = isUuid(id)
      ? await this.bookingPage.execute({ eventTypeId: id.toLowerCase() }).catch(notFoundAsNull)
      : null;
    if (!page) {
      return this.html(
        reply,
        404,
        '*',
        messagePage(this.assets, 'This booking page does not exist', [
          'The link may be mistyped, or the page may have been switched off.',
          'Please check the link, or ask the person who sent it for a new one.',
        ]),
      );
    }
    return this.html(reply, 200, '*', bookingPageHtml(this.assets, page, { embed: embedOrigin(embed) }));
  }

  @Get('manage/:token')
  async manage(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    const booking = await this.manageLink.execute({ token }).catch(notFoundAsNull);
    if (!booking) {
      return this.html(
        reply,
        404,
        "'none'",
        messagePage(this.assets, 'Booking not found', [
          'This link does not lead to a booking. It may be mistyped, or the booking may have been cancelled and is over.',
          'Please use the link from your confirmation exactly as it is, or contact the host.',
        ]),
      );
    }
    const view = await this.views.of(booking);
    return this.html(reply, 200, "'none'", managePageHtml(this.assets, view, token));
  }

  /** The embed script: its URL is written into other sites, so it is revalidated rather than kept a year. */
  @Get('embed.js')
  embed(
    @Headers('accept-encoding') encoding: string | undefined,
    @Headers('if-none-match') etag: string | undefined,
    @Res() reply: FastifyReply,
  ): void {
    const asset = this.assets.get('embed.js')!;
    void reply
      .header('cache-control', 'public, max-age=300, must-revalidate')
      .header('cross-origin-resource-policy', 'cross-origin');
    this.send(reply, asset, encoding, etag);
  }

  @Get('assets/:name')
  asset(
    @Param('name') name: string,
    @Query('v') version: unknown,
    @Headers('accept-encoding') encoding: string | undefined,
    @Headers('if-none-match') etag: string | undefined,
    @Res() reply: FastifyReply,
  ): void {
    const asset = this.assets.get(name);
    if (!asset) {
      void reply.status(404).header('content-type', 'text/plain; charset=utf-8').send('Not found');
      return;
    }
    // The versioned URL never changes content; any other is revalidated with the ETag.
    void reply.header(
      'cache-control',
      version === asset.hash ? 'public, max-age=31536000, immutable' : 'public, no-cache',
    );
    this.send(reply, asset, encoding, etag);
  }

  private send(
    reply: FastifyReply,
    asset: WebAsset,
    encoding: string | undefined,
    etag: string | undefined,
  ): void {
    const tag = `"${asset.hash}"`;
    void reply
      .header('etag', tag)
      .header('vary', 'Accept-Encoding')
      .header('content-type', asset.contentType);
    if (etag === tag) {
      void reply.status(304).send();
      return;
    }
    if (/\bgzip\b/.test(encoding ?? '')) {
      void reply.header('content-encoding', 'gzip').send(asset.gzipped);
      return;
    }
    void reply.send(asset.body);
  }

  private html(reply: FastifyReply, status: number, frameAncestors: string, body: string): void {
    // frame-ancestors decides; an X-Frame-Options set for every route would only contradict it.
    if (frameAncestors === '*') void reply.removeHeader('x-frame-options');
    void reply
      .status(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', pageCsp(frameAncestors))
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .header('x-robots-tag', 'noindex')
      .send(body);
  }
}

function notFoundAsNull(error: unknown): null {
  if (error instanceof DomainError && error.code === 'NOT_FOUND') return null;
  throw error;
}
