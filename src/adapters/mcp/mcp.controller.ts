// `/mcp`: the Model Context Protocol over Streamable HTTP, stateless (a server and a transport per request,
// no session). The workspace API key is checked by the app's guard like on every `/v1` route, so a missing
// or bad key is a 401 problem before any MCP work; the body was read by the app's JSON parser (its size and
// depth limits) and the rate limit and security headers ran as on any route. Then the SDK's transport takes
// the raw request and response.
import { Body, Controller, Delete, Get, HttpException, Logger, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@domain/shared/domain-error.js';
import { WorkspaceId } from '../http/auth.js';
import { ApiErrorResponses, ApiWorkspaceKey } from '../http/openapi.js';
import { McpTools } from './mcp-tools.js';

@ApiTags('agents')
@ApiWorkspaceKey()
@Controller('mcp')
export class McpController {
  private readonly logger = new Logger('Mcp');

  constructor(private readonly tools: McpTools) {}

  @Post()
  @ApiOperation({
    summary: 'Model Context Protocol (Streamable HTTP) for agents',
    description:
      'A JSON-RPC 2.0 message of the Model Context Protocol (or a batch of them), answered as JSON; stateless, so no Mcp-Session-Id. The client must accept `application/json, text/event-stream`. Tools: list_event_types, find_slots, explain_time, book, reschedule_booking, cancel_booking, get_booking, list_bookings, each acting in the workspace of the API key. A refusal is a tool result with `isError: true` whose text starts with the stable code.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      description: 'A JSON-RPC 2.0 request or notification of MCP, e.g. tools/call.',
      example: { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} },
    },
  })
  @ApiOkResponse({ description: 'The JSON-RPC response (202 with no body for notifications).' })
  @ApiErrorResponses('VALIDATION_FAILED', 'RATE_LIMITED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE')
  async post(
    @WorkspaceId() workspaceId: string,
    @Body() message: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Without a parsed body the transport would read the request stream, which the app's parser has drained.
    if (message === undefined) {
      throw DomainError.validation([{ field: 'body', message: 'must be a JSON-RPC message of MCP' }]);
    }
    const server = this.tools.serverFor(workspaceId);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    // From here on the SDK writes the response: the headers the app's hooks set (security headers, rate
    // limit, request id) are handed to the raw response, which keeps them when the SDK writes its own.
    reply.hijack();
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) reply.raw.setHeader(name, value);
    }
    reply.raw.setHeader('x-request-id', request.id);
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(request.raw, reply.raw, message);
    } catch (error) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : error);
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(500, { 'content-type': 'application/json' });
        reply.raw.end(
          JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null }),
        );
      }
    }
  }

  /** Stateless: no stream to open with GET and no session to end with DELETE (MCP's answer is 405). */
  @Get()
  @ApiExcludeEndpoint()
  noStream(@Res({ passthrough: true }) reply: FastifyReply): never {
    return this.notAllowed(reply);
  }

  @Delete()
  @ApiExcludeEndpoint()
  noSession(@Res({ passthrough: true }) reply: FastifyReply): never {
    return this.notAllowed(reply);
  }

  private notAllowed(reply: FastifyReply): never {
    void reply.header('allow', 'POST');
    throw new HttpException(
      'This MCP server is stateless: POST each JSON-RPC message; there is no stream to GET or session to DELETE.',
      405,
    );
  }
}
