// Node module hooks that load this repository's TypeScript as Jest does for test files, with the SWC options
// and moduleNameMapper of jest.config.js, for code Jest runs outside a test file: Jest transforms a
// globalSetup file itself, but neither transforms nor maps what that file imports (pglite-image.setup.js).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';
import { transformSync } from '@swc/core';

/** Hooks for `module.registerHooks`, from Jest's project config (the second argument of a globalSetup). */
export function typescriptHooks({ moduleNameMapper, transform }) {
  const [, , swc] = transform.find(([pattern]) => new RegExp(pattern).test('file.ts'));
  return {
    resolve(specifier, context, nextResolve) {
      // Only our own TypeScript imports through the aliases and `.js` names of TypeScript files.
      if (context.parentURL?.startsWith('file:') && context.parentURL.endsWith('.ts')) {
        for (const [pattern, replacement] of moduleNameMapper) {
          const regex = new RegExp(pattern);
          if (!regex.test(specifier)) continue;
          const mapped = specifier.replace(regex, replacement);
          // Jest tries the module file extensions after a mapping: a `.ts` file is what it finds here.
          const url = new URL(mapped.endsWith('.ts') ? mapped : `${mapped}.ts`, context.parentURL);
          if (existsSync(url)) return { url: url.href, shortCircuit: true };
        }
      }
      return nextResolve(specifier, context);
    },
    load(url, context, nextLoad) {
      if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
      const filename = fileURLToPath(url);
      const { code } = transformSync(readFileSync(filename, 'utf8'), { ...swc, filename });
      return { format: 'module', source: code, shortCircuit: true };
    },
  };
}
