// The pages' CSS and scripts (src/adapters/web/assets, copied to dist by the build), read once at start.
// Each is served under a URL that carries its content hash, so browsers keep it for a year and a new
// version is a new URL; a module's relative imports are given their hashes too. Bodies are gzipped once.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

export interface WebAsset {
  name: string;
  body: Buffer;
  gzipped: Buffer;
  hash: string;
  contentType: string;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

const IMPORT = /(from\s*|import\s*)(['"])\.\/([\w-]+\.js)\2/g;

export class WebAssets {
  private readonly assets = new Map<string, WebAsset>();

  constructor(directory: URL = new URL('./assets/', import.meta.url)) {
    const sources = new Map<string, string>();
    for (const name of readdirSync(directory)) {
      const type = TYPES[name.slice(name.lastIndexOf('.'))];
      if (type) sources.set(name, readFileSync(new URL(name, directory), 'utf8'));
    }
    const load = (name: string, trail: string[] = []): WebAsset => {
      const known = this.assets.get(name);
      if (known) return known;
      const source = sources.get(name);
      if (source === undefined || trail.includes(name)) {
        throw new Error(`web asset ${name} is missing or imports itself (${[...trail, name].join(' → ')})`);
      }
      // Imports first: the importer's text (and so its hash) names their versions.
      const text = name.endsWith('.js')
        ? source
            .replace(/\n\/\/# sourceMappingURL=.*$/m, '')
            .replace(IMPORT, (_, kw: string, q: string, dep: string) => {
              return `${kw}${q}./${dep}?v=${load(dep, [...trail, name]).hash}${q}`;
            })
        : source;
      const body = Buffer.from(text, 'utf8');
      const asset: WebAsset = {
        name,
        body,
        gzipped: gzipSync(body, { level: 9 }),
        hash: createHash('sha256').update(body).digest('base64url').slice(0, 12),
        contentType: TYPES[name.slice(name.lastIndexOf('.'))]!,
      };
      this.assets.set(name, asset);
      return asset;
    };
    for (const name of sources.keys()) load(name);
  }

  get(name: string): WebAsset | undefined {
    return this.assets.get(name);
  }

  /** The versioned URL of an asset (throws for one that does not exist: a template's typo fails at once). */
  url(name: string): string {
    const asset = this.assets.get(name);
    if (!asset) throw new Error(`no web asset named ${name}`);
    return `/assets/${name}?v=${asset.hash}`;
  }

  /** These assets and everything they import, each once, importers first. */
  closure(names: string[]): WebAsset[] {
    const seen = new Map<string, WebAsset>();
    const visit = (name: string): void => {
      if (seen.has(name)) return;
      const asset = this.assets.get(name);
      if (!asset) throw new Error(`no web asset named ${name}`);
      seen.set(name, asset);
      for (const m of asset.body.toString('utf8').matchAll(/['"]\.\/([\w-]+\.js)\?v=/g)) visit(m[1]!);
    };
    names.forEach(visit);
    return [...seen.values()];
  }

  /** The gzipped bytes of these assets and everything they import: what a first visit downloads. */
  gzippedWeight(names: string[]): number {
    return this.closure(names).reduce((sum, asset) => sum + asset.gzipped.length, 0);
  }
}
