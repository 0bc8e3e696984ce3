/**
 * The operations the development IDE opens with, one tab each: the first reads of README's tour,
 * answered by the demo seed (its published fact check is about Blinken), so a new user can run them
 * with a pasted token.
 */
export const IDE_EXAMPLE_OPERATIONS: readonly string[] = [
  `# Factcheck API, development IDE (served only when NODE_ENV is not production).
# Paste a bearer token printed by \`npm start\` into Headers below:
#   { "Authorization": "Bearer fc_…" }
# then run this query (Ctrl-Enter). The other tabs hold reads from README's tour.
{ viewer { name role } }
`,
  `# Editors and reviewers: the desk's claims (README, "A five-minute tour")
{ claims { totalCount edges { node { status quote span { start end } } } } }
`,
  `# Partners: published fact checks, ranked by relevance when searching
{ factChecks(first: 5, filter: { search: "Blinken" }) { edges { node { claimReviewed rating summary publishedAt } } } }
`,
];

/** What the header editor shows at first: valid JSON (GraphiQL sends it with every request, schema loading included). */
export const IDE_DEFAULT_HEADERS = '{}';
