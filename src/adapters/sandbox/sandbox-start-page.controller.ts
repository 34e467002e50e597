// The sandbox's start page at `/` (sandbox mode only: nowhere else does a page show workspace data without
// a key) and its connect buttons. A button is a form that POSTs here; the handler checks that the form
// came from this origin (Origin / Sec-Fetch-Site) and carries the page's token, starts the member's
// Microsoft sign-in with a return URL back to `/`, and sends the browser on to Microsoft (the emulator).
import { Body, Controller, Get, Headers, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '@domain/shared/domain-error.js';
import { Clock } from '@application/ports/clock.js';
import { StartMicrosoftConnection } from '@application/connection/start-microsoft-connection.use-case.js';
import { Public } from '../http/auth.js';
import { PathId } from '../http/routes.js';
import { WebAssets } from '../web/web-assets.js';
import { messagePage } from '../web/html.js';
import { sendPage } from '../web/send-page.js';
import { sandboxStartPageHtml, type SandboxStartPage } from '../web/start-page.js';
import { SandboxOverview, type StartPageMember } from './sandbox-overview.js';
import { SandboxWorkspace } from './sandbox-workspace.js';
import { PageTokens } from './page-tokens.js';

/** Where the start page lives and what it says of the emulator (from the configuration in force). */
export class SandboxPageSettings {
  constructor(
    readonly publicUrl: string,
    readonly emulator: { url: string; caFile: string },
  ) {}
}

/** What the return URL's `code` means, in the setup guide's words. */
const RESULT_SENTENCES: Record<string, string> = {
  ACCOUNT_NOT_ACTIVE: 'Only active members can connect: activate the member first, then connect again.',
  TENANT_MISMATCH:
    'The account belongs to another Microsoft 365 organisation than the one this workspace is bound to. Sign in with an account of that organisation.',
  ACCOUNT_MISMATCH:
    "Someone else's account signed in. Connect again and sign in with the member's own account.",
  ADMIN_CONSENT_REQUIRED:
    'The organisation needs an administrator to approve kailenty first. Ask a Global Administrator to complete the admin consent once; then connect again.',
  MICROSOFT_UNAVAILABLE: 'Microsoft 365 could not be reached. Try again in a moment.',
  NOT_FOUND: 'That member no longer exists. Reload this page.',
};

function resultNotice(
  query: Record<string, unknown>,
  members: StartPageMember[],
): SandboxStartPage['notice'] {
  const memberId = typeof query.memberId === 'string' ? query.memberId : '';
  const name = members.find((m) => m.id === memberId)?.displayName ?? 'The member';
  if (query.result === 'connected') return { ok: true, text: `${name}'s Outlook calendar is connected.` };
  if (query.result !== 'error') return null;
  const code = typeof query.code === 'string' && /^[A-Z_]{1,64}$/.test(query.code) ? query.code : null;
  const why = (code && RESULT_SENTENCES[code]) ?? `The sign-in did not complete${code ? ` (${code})` : ''}.`;
  return { ok: false, text: `${name} is not connected. ${why}` };
}

/** The token a connect form sends: `token=…` as text/plain (what a plain HTML form can send here), or JSON. */
function formToken(body: unknown): string | null {
  if (typeof body === 'string') return /^token=([\w.-]+)\r?$/m.exec(body)?.[1] ?? null;
  if (body && typeof body === 'object' && typeof (body as { token?: unknown }).token === 'string')
    return (body as { token: string }).token;
  return null;
}

@ApiExcludeController()
@Public()
@Controller()
export class SandboxStartPageController {
  constructor(
    private readonly assets: WebAssets,
    private readonly sandbox: SandboxWorkspace,
    private readonly overview: SandboxOverview,
    private readonly start: StartMicrosoftConnection,
    private readonly tokens: PageTokens,
    private readonly clock: Clock,
    private readonly settings: SandboxPageSettings,
  ) {}

  @Get()
  async page(@Query() query: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    const view = await this.overview.read(this.sandbox.workspaceId());
    const page: SandboxStartPage = {
      ...view,
      formToken: this.tokens.issue(this.clock.now()),
      notice: resultNotice(query, view.members),
      emulator: this.settings.emulator,
    };
    // The connect forms go on to Microsoft's sign-in (the emulator), then back here.
    sendPage(reply, 200, sandboxStartPageHtml(this.assets, page), {
      formTargets: [new URL(this.settings.emulator.url).origin],
    });
  }

  @Post('sandbox/start/connect/:memberId')
  async connect(
    @PathId('Member', 'memberId') memberId: string,
    @Body() body: unknown,
    @Headers('origin') origin: string | undefined,
    @Headers('sec-fetch-site') site: string | undefined,
    @Headers('host') host: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Browsers say where a request comes from in Sec-Fetch-Site; the page's no-referrer policy makes their
    // Origin "null" on a form's POST, so Origin decides only for a client that sends no Sec-Fetch-Site.
    const fromHere =
      site !== undefined
        ? site === 'same-origin'
        : origin === undefined ||
          origin === new URL(this.settings.publicUrl).origin ||
          sameHost(origin, host);
    if (!fromHere || !this.tokens.isValid(formToken(body), this.clock.now())) {
      return sendPage(
        reply,
        403,
        messagePage(this.assets, 'This form has expired', [
          'The connect button was pressed on a page that is too old (the sandbox restarted since) or that is not the start page.',
          'Please open the start page again and press the button there.',
        ]),
      );
    }
    const back = `${this.settings.publicUrl}/`;
    try {
      const { authorizeUrl } = await this.start.execute({
        workspaceId: this.sandbox.workspaceId(),
        memberId,
        returnUrl: back,
      });
      void reply.redirect(authorizeUrl, 303);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const to = new URL(back);
      to.search = new URLSearchParams({ result: 'error', code: error.code, memberId }).toString();
      void reply.redirect(to.toString(), 303);
    }
  }
}

/** An Origin naming the host the request was sent to (the sandbox opened by another name than PUBLIC_URL). */
function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
