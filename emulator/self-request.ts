// Requests from the emulator to itself over its own HTTPS listener: the control surface's browser step
// and $batch parts go through the same routes, hooks and faults as any client request.
import { request } from 'node:https';

export interface SelfResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function selfRequest(
  baseUrl: string,
  ca: string,
  input: { method: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<SelfResponse> {
  const url = new URL(input.path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: input.method,
        headers: {
          ...input.headers,
          ...(input.body !== undefined ? { 'content-length': Buffer.byteLength(input.body) } : {}),
        },
        ca,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (input.body !== undefined) req.write(input.body);
    req.end();
  });
}
