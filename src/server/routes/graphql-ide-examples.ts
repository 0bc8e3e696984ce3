/**
 * The operations the development IDE opens with, one tab each: README's examples (a test checks
 * that every query README shows is here), so a new user can run them with a pasted token.
 */
export const IDE_EXAMPLE_OPERATIONS: readonly string[] = [
  `# Factcheck API, development IDE (served only when NODE_ENV is not production).
# Paste a bearer token printed by \`npm start\` into Headers below:
#   { "Authorization": "Bearer fc_…" }
# then run this query (Ctrl-Enter). The other tabs hold README's examples.
{ viewer { name role } }
`,
  `# Editors and reviewers: the desk's claims (README, "Two commands")
{ claims { totalCount edges { node { status quote span { start end } } } } }
`,
  `# Partners: published fact checks, ranked by relevance when searching
{ factChecks(first: 5, filter: { search: "inflation" }) { edges { node { claimReviewed rating summary publishedAt } } } }
`,
];

/** What the header editor shows at first: valid JSON (GraphiQL sends it with every request, schema loading included). */
export const IDE_DEFAULT_HEADERS = '{}';
