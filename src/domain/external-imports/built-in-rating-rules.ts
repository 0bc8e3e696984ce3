/**
 * The built-in rating rules: the common textual ratings of fact-checkers publishing in English,
 * Spanish, Portuguese, French and German, and what each means on our scale. Matched after the
 * desk's own rules, whole text, ignoring case and accents ("Engañoso" and "Enganoso" are one key).
 * Where the labels come from, each publisher's own published scale or rating glossary:
 *
 * - English: PolitiFact's Truth-O-Meter (True, Mostly True, Half True, Mostly False, False, Pants on
 *   Fire); Snopes' ratings (Mixture, Unproven, Miscaptioned, Outdated, Satire, Scam); Full Fact's
 *   conclusions (Correct, Incorrect, Missing context); AFP Fact Check and Reuters Fact Check (False,
 *   Misleading, Partly false, Missing context, Altered); Meta's third-party fact-checking ratings
 *   (False, Altered, Partly False, Missing Context, Satire, True).
 * - Spanish: Chequeado's scale (Verdadero, Verdadero pero…, Discutible, Exagerado, Engañoso,
 *   Apresurado, Falso, Insostenible, Inchequeable); Maldita.es (Bulo, Falso, Engañoso, Sin
 *   evidencias); Newtral (Verdad a medias); Colombiacheck (Cuestionable).
 * - Portuguese: Aos Fatos (Verdadeiro, Impreciso, Exagerado, Distorcido, Contraditório,
 *   Insustentável, Falso); Agência Lupa (Verdadeiro, mas…, Ainda é cedo para dizer, Subestimado);
 *   Comprova and Estadão Verifica (Enganoso, Comprovado, Sátira).
 * - French: AFP Factuel (Faux, Trompeur, Manque de contexte, Partiellement faux, Vrai, Satire,
 *   Photo altérée); Le Monde's Les Décodeurs (Plutôt vrai, Plutôt faux); Libération CheckNews.
 * - German: Correctiv.Faktencheck (Richtig, Größtenteils richtig, Teilweise falsch, Größtenteils
 *   falsch, Falsch, Fehlender Kontext, Unbelegt, Frei erfunden, Manipuliert, Satire); dpa- and AFP
 *   Faktencheck (Falsch, Irreführend).
 *
 * Judgement calls: "Satire" and "Missing context" are MISLEADING (true as satire, misleading when
 * shared as news); "Partly false" is MIXED (AFP: a mix of accurate and inaccurate); Chequeado's
 * "Apresurado"/"Insostenible" and Aos Fatos' "Insustentável" (no evidence yet either way) are UNPROVEN.
 * A desk that reads a label otherwise sets its own rule, which comes first.
 */
import type { Rating } from '../../model/enums.js';

const LABELS: Record<Rating, readonly string[]> = {
  TRUE: [
    // en
    'True',
    'Correct',
    'Accurate',
    'Verified',
    // es
    'Verdadero',
    'Cierto',
    'Verdad',
    // pt
    'Verdadeiro',
    'Comprovado',
    // fr
    'Vrai',
    // de
    'Richtig',
    'Wahr',
    'Stimmt',
  ],
  MOSTLY_TRUE: [
    'Mostly True',
    'Mostly Correct',
    'Largely accurate',
    'Verdadero pero',
    'Mayormente verdadero',
    'Casi verdadero',
    'Verdadeiro mas',
    'Verdadeiro, mas',
    'Plutôt vrai',
    'Größtenteils richtig',
    'Größtenteils wahr',
  ],
  MIXED: [
    'Half True',
    'Half-true',
    'Mixture',
    'Mixed',
    'Partly true',
    'Partially true',
    'Partly false',
    'Partially false',
    'Verdad a medias',
    'Discutible',
    'Cuestionable',
    'Parcialmente verdadero',
    'Parcialmente falso',
    'Impreciso',
    'Contraditório',
    'Meia verdade',
    'Parcialmente verdadeiro',
    'À moitié vrai',
    'Partiellement vrai',
    'Partiellement faux',
    'Teilweise richtig',
    'Teilweise falsch',
    'Halb wahr',
  ],
  MISLEADING: [
    'Misleading',
    'Missing context',
    'Lacks context',
    'Out of context',
    'Miscaptioned',
    'Exaggerated',
    'Outdated',
    'Satire',
    'Engañoso',
    'Exagerado',
    'Sacado de contexto',
    'Falta contexto',
    'Sátira',
    'Distorcido',
    'Fora de contexto',
    'Subestimado',
    'Trompeur',
    'Manque de contexte',
    'Hors contexte',
    'Exagéré',
    'Irreführend',
    'Fehlender Kontext',
    'Aus dem Kontext gerissen',
  ],
  MOSTLY_FALSE: ['Mostly False', 'Mostly Incorrect', 'Mayormente falso', 'Plutôt faux', 'Größtenteils falsch'],
  FALSE: [
    'False',
    'Pants on Fire',
    'Pants on Fire!',
    'Incorrect',
    'Fake',
    'Altered',
    'Altered photo',
    'Fabricated',
    'Scam',
    'Hoax',
    'Falso',
    'Bulo',
    'Faux',
    'Photo altérée',
    'Infox',
    'Falsch',
    'Frei erfunden',
    'Manipuliert',
  ],
  UNPROVEN: [
    'Unproven',
    'Unverified',
    'Unsupported',
    'Unsubstantiated',
    'No evidence',
    'Research in progress',
    'Inchequeable',
    'Sin evidencias',
    'Sin evidencia',
    'Apresurado',
    'Insostenible',
    'Insustentável',
    'Ainda é cedo para dizer',
    'Sem evidências',
    'Non prouvé',
    'Infondé',
    'Invérifiable',
    'Unbelegt',
    'Unbewiesen',
  ],
};

/** Every built-in rule, for any language, in the order of the table above. */
export const BUILT_IN_RATING_RULES: readonly { textualRating: string; language: null; rating: Rating }[] = Object.entries(LABELS).flatMap(([rating, labels]) =>
  labels.map((textualRating) => ({ textualRating, language: null, rating: rating as Rating })),
);
