// The dependency rule of the hexagon, checked on every `npm test` (STYLE.md, convention 1).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'src/domain imports nothing outside itself: no framework, ORM, Microsoft SDK, adapters or Node APIs.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'application-uses-only-domain',
      comment: 'src/application imports only the domain (and itself).',
      severity: 'error',
      from: { path: '^src/application/' },
      to: { pathNot: '^src/(domain|application)/' },
    },
    {
      name: 'outbound-adapters-call-no-use-case',
      comment:
        "Outbound adapters (Microsoft, persistence, webhooks, crypto, cache, system) answer the port they implement and never call a use case: a side effect such as recording a refusal is the calling use case's, made explicit (a result or a typed error).",
      severity: 'error',
      from: { path: '^src/adapters/(microsoft|persistence|webhooks|crypto|cache|system)/' },
      to: { path: '^src/application/.*\\.use-case\\.ts$' },
    },
    {
      name: 'emulator-stands-alone',
      comment: 'The Microsoft 365 emulator stands for Microsoft: it imports nothing from src/.',
      severity: 'error',
      from: { path: '^emulator/' },
      to: { path: '^src/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
