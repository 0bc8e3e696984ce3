// Claimants for bench:claimants: N people and organisations with the names a desk would file, some
// with aliases (an initial, a nickname, an acronym) and Wikidata IDs, generated deterministically
// and loaded with COPY into claimants and claimant_names. The search keys are the project's own
// (src/model/search-key.ts, from dist/: `npm run bench:claimants` builds first), so the rows are
// the ones createClaimant would have written.
//
// Names: real first names and surnames from many languages (accents included), and for a third of
// the people a surname made of syllables, so that 100k names are spread over many trigrams as real
// ones are (a fixed list of 20 × 20 would repeat each name 250 times). Organisations: ministries,
// parties, companies, NGOs, built from places, fields and kinds.
import { copyRows, withoutSecondaryIndexes } from './db.mjs';
import { loadUsers, makeUsers } from './dataset.mjs';
import { makeRandom } from './random.mjs';

const { nameSearchRows, searchKey } = await import('../../dist/src/model/search-key.js');

const FIRST = `Maria James Aisha John Chen Sofia David Fatima Michael Olga José Zoë Ahmed Linda Raj Emily Kwame Ingrid Tomás Sarah
  Robert Mary William Patricia Richard Jennifer Joseph Elizabeth Thomas Barbara Charles Susan Daniel Jessica Matthew Karen
  Anthony Nancy Mark Lisa Donald Betty Steven Margaret Paul Sandra Andrew Ashley Joshua Kimberly Kenneth Donna Kevin Carol
  Brian Michelle George Amanda Edward Melissa Ronald Deborah Timothy Stephanie Jason Rebecca Jeffrey Laura Ryan Helen Jacob
  Sharon Gary Cynthia Nicholas Kathleen Eric Amy Jonathan Shirley Stephen Angela Larry Anna Justin Ruth Scott Brenda Brandon
  Pamela Frank Nicole Benjamin Katherine Gregory Virginia Samuel Catherine Raymond Christine Patrick Samantha Alexander Debra
  Jack Janet Dennis Rachel Jerry Carolyn Tyler Emma Aaron Maria Henry Heather Douglas Diane Peter Julie Adam Joyce Nathan
  Victoria Zachary Kelly Walter Christina Kyle Joan Harold Evelyn Carl Lauren Jeremy Judith Keith Olivia Roger Megan Gerald
  Cheryl Ethan Martha Arthur Andrea Terry Frances Christian Hannah Sean Jacqueline Lawrence Ann Austin Gloria Joe Jean Noah
  Kathryn Jesse Alice Albert Teresa Bryan Sara Billy Janice Bruce Doris Willie Madison Jordan Julia Dylan Grace Alan Judy
  Ralph Theresa Gabriel Beverly Roy Denise Juan Marilyn Wayne Amber Eugene Danielle Logan Brittany Randy Diana Louis Abigail
  Russell Jane Vincent Lori Philip Natalie Bobby Tiffany Johnny Kayla Bradley Alexis Mohammed Ali Omar Yusuf Mehmet Ayşe
  Emine Fatma Olumide Chinedu Ngozi Amara Thabo Sipho Wanjiru Kofi Abebe Hiroshi Yuki Haruto Sakura Min-jun Ji-woo Wei Fang
  Li Jun Mei Priya Arjun Ananya Vikram Lakshmi Rahul Sunita Ivan Dmitri Natalia Svetlana Sergei Anastasia Piotr Katarzyna
  Jan Agnieszka Lukas Sophie Jonas Lena François Amélie Léa Chloé Hugo Mathieu Giulia Marco Francesca Luca Chiara Alessandro
  Pablo Lucía Carmen Javier Sergio Paula Álvaro Inés João Beatriz Gonçalo Mariana Lars Ingrid Sven Astrid Björn Freya Søren
  Mette Eero Aino Juha Noor Yasmin Layla Karim Hassan Leila Dana Avi Noa Yael Itai Tamar`.split(/\s+/);

const LAST = `Smith Garcia Okafor Müller Nguyen Johnson Álvarez Kowalski Brown Haddad Lee Rossi Patel Andersson Williams Dubois Cohen
  Ivanova Santos Walker Jones Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore
  Jackson Martin Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Young Allen King Wright Scott Torres Hill Flores
  Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards
  Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos
  Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarado Castillo Sanders
  Myers Long Ross Foster Jimenez Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter Klein Wolf
  Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner Krause Meier Lehmann Martin Bernard
  Thomas Petit Robert Richard Durand Leroy Moreau Simon Laurent Lefebvre Michel Fournier Girard Bonnet Dupont Lambert Fontaine
  Rousseau Vincent Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti DeLuca Mancini Costa Giordano Rizzo Lombardi
  Moretti Fernández González Rodríguez López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz Hernández Díaz Moreno Muñoz
  Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez Ramos Gil Ramírez Serrano Blanco Molina Morales Suárez Ortega
  Delgado Castro Ortiz Rubio Marín Sanz Núñez Iglesias Medina Garrido Silva Oliveira Sousa Pereira Ferreira Alves Carvalho
  Gomes Ribeiro Rocha Nowak Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak Dąbrowski Novák
  Svoboda Novotný Dvořák Černý Procházka Kuznetsov Smirnov Popov Vasiliev Petrov Sokolov Mikhailov Fedorov Morozov Volkov
  Lebedev Kozlov Novikov Yilmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç Aslan Khan
  Ahmed Hussain Ali Malik Iqbal Shah Singh Kumar Sharma Gupta Reddy Rao Iyer Nair Menon Das Bose Mukherjee Chatterjee Wang
  Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Tanaka Suzuki Takahashi Watanabe Ito Yamamoto
  Nakamura Kobayashi Kato Yoshida Yamada Sasaki Park Choi Jung Kang Cho Yoon Jang Lim Tran Le Pham Hoang Phan Vu Dang Bui
  Do Ho Ngo Duong Ly Mensah Boateng Owusu Asante Adeyemi Okonkwo Eze Nwosu Balogun Oyelaran Mwangi Otieno Kamau Njoroge
  Dlamini Nkosi Ndlovu Khumalo Mokoena Haile Tesfaye Bekele Girma Abdi Hassan Mohamed Ibrahim Farah Mansour Nasser Saleh
  Khoury Haddad Karam Levi Mizrahi Peretz Biton Friedman Katz Goldberg Shapiro Jensen Nielsen Hansen Pedersen Larsen Olsen
  Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Virtanen Korhonen Mäkinen Nieminen
  Mäkelä Hämäläinen Laine O'Brien O'Connor McCarthy Murphy Walsh Byrne Ryan O'Sullivan Doyle McLaughlin Fitzgerald`.split(/\s+/);

// Syllables for made-up surnames ("Varenko", "Molandi"): more distinct names, and trigrams a real
// directory has but no list of common names does.
const ONSETS = ['b', 'br', 'd', 'dr', 'f', 'g', 'gr', 'h', 'k', 'kr', 'l', 'm', 'n', 'p', 'pr', 'r', 's', 'st', 't', 'tr', 'v', 'z', 'ch', 'sh', 'j'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'a', 'e', 'o', 'ai', 'ou', 'ie', 'é'];
const CODAS = ['', '', '', 'n', 'r', 'l', 's', 'k', 'm', 'nd', 'rt', 'st'];
const ENDINGS = ['', 'son', 'ski', 'enko', 'ov', 'ini', 'ez', 'berg', 'man', 'ssen', 'escu', 'idis', 'oglu', 'ani', 'ura'];

const PLACES = `Springfield Riverside Lakewood Fairview Georgetown Madison Franklin Clinton Salem Bristol Dover Oxford Cambridge Kent
  York Lagos Nairobi Accra Kampala Dakar Lima Quito Bogotá Santiago Montevideo Asunción Manila Jakarta Hanoi Osaka Busan Lyon
  Marseille Porto Sevilla València Zaragoza Bilbao Torino Napoli Palermo Kraków Gdańsk Brno Graz Malmö Bergen Tampere Aarhus
  Leipzig Dresden Köln Rotterdam Utrecht Antwerp Ghent Izmir Ankara Haifa Beirut Amman Tunis Casablanca Durban Pretoria
  Mumbai Pune Chennai Kolkata Lahore Karachi Dhaka Colombo Perth Adelaide Auckland Wellington Calgary Winnipeg Québec Ottawa`.split(/\s+/);
const FIELDS = `Energy Health Farmers Workers Policy Media Steel Water Rail Data Housing Trade Education Transport Finance Justice Defence
  Environment Agriculture Tourism Fisheries Mining Telecom Pharma Tobacco Insurance Aviation Shipping Retail Labour Science
  Culture Youth Veterans Consumers Taxpayers Climate Ocean Forest Wildlife Nutrition Vaccine Privacy Election Democracy`.split(/\s+/);
const ORG_KINDS = [
  'Council',
  'Institute',
  'Association',
  'Foundation',
  'Union',
  'Group',
  'Alliance',
  'Industries',
  'Party',
  'Network',
  'Agency',
  'Authority',
  'Commission',
  'Society',
  'Trust',
  'Coalition',
  'Partners',
  'Holdings',
  'Corporation',
  'Observatory',
];
const ADJECTIVES = [
  'National',
  'Northern',
  'Southern',
  'Global',
  'United',
  'Green',
  'Civic',
  'Atlantic',
  'Central',
  'Pacific',
  'Royal',
  'Federal',
  'Independent',
  'Free',
  'New',
  'Democratic',
  'Progressive',
  'Liberal',
  'Conservative',
  'Popular',
  'Open',
  'Public',
];

const capital = (s) => s[0].toUpperCase() + s.slice(1);

function madeUpSurname(r) {
  let s = '';
  for (let i = r.between(2, 3); i > 0; i--) s += r.pick(ONSETS) + r.pick(VOWELS) + r.pick(CODAS);
  return capital(s + r.pick(ENDINGS));
}

function person(r) {
  const first = r.zipf(FIRST, 1.05);
  const last = r.chance(0.35) ? madeUpSurname(r) : r.zipf(LAST, 1.05);
  const middle = r.chance(0.08) ? ` ${String.fromCharCode(65 + r.int(26))}.` : '';
  const name = r.chance(0.04) ? `${first} ${r.zipf(LAST)}-${last}` : `${first}${middle} ${last}`;
  const aliases = [];
  if (r.chance(0.12)) aliases.push(`${first[0]}. ${last}`);
  if (r.chance(0.05)) aliases.push(`${r.pick(FIRST)} ${last}`); // a nickname or a former name
  return { name, kind: 'PERSON', aliases };
}

function organisation(r) {
  const pattern = r.int(6);
  const place = r.pick(PLACES);
  const field = r.pick(FIELDS);
  const kind = r.pick(ORG_KINDS);
  const name = [
    `${r.pick(ADJECTIVES)} ${field} ${kind}`,
    `${place} ${field} ${kind}`,
    `Ministry of ${field} of ${place}`,
    `${r.pick(LAST)} & ${r.pick(LAST)} ${r.pick(['LLP', 'Consulting', 'Research', 'Media'])}`,
    `${r.pick(ADJECTIVES)} ${r.pick(['Party', 'Front', 'Movement', 'Union'])} of ${place}`,
    `${madeUpSurname(r)} ${r.pick(['Energy', 'Foods', 'Pharma', 'Motors', 'Bank', 'Airlines', 'Telecom', 'Media'])}`,
  ][pattern];
  const words = name.split(' ').filter((w) => /^\p{Lu}/u.test(w));
  const aliases = r.chance(0.3) && words.length >= 3 ? [words.map((w) => w[0]).join('')] : [];
  return { name, kind: 'ORGANIZATION', aliases };
}

/**
 * `n` claimants, each { id, name, kind, aliases, wikidataId }: a quarter organisations, 30 % with a
 * Wikidata ID (unique). The same list for the same seed, so a reused database and the queries agree.
 */
export function makeClaimants(n, seed = 11) {
  const r = makeRandom(seed);
  const taken = new Set(['Q22686']);
  const out = [{ id: r.uuid(), name: 'Antony Blinken', kind: 'PERSON', aliases: ['Tony Blinken'], wikidataId: 'Q22686' }];
  while (out.length < n) {
    const c = r.chance(0.25) ? organisation(r) : person(r);
    let wikidataId = null;
    if (r.chance(0.3)) {
      do wikidataId = `Q${r.between(1, 130_000_000)}`;
      while (taken.has(wikidataId));
      taken.add(wikidataId);
    }
    out.push({ id: r.uuid(), ...c, aliases: [...new Set(c.aliases.filter((a) => a.toLowerCase() !== c.name.toLowerCase()))], wikidataId });
  }
  return out;
}

/** An array literal of COPY's text format for text[] (copyRows escapes the backslashes again). */
const textArray = (items) => `{${items.map((s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;

export async function loadClaimants(sql, { claimants: n, seed = 11 }, log) {
  const r = makeRandom(seed + 1);
  const people = makeUsers(r);
  const list = makeClaimants(n, seed);
  const editor = people.editors[0];
  const at = new Date('2025-06-01T00:00:00Z');
  await withoutSecondaryIndexes(sql, ['claimants', 'claimant_names', 'claimant_words'], async () => {
    await loadUsers(sql, people);
    const chunk = 20_000;
    const words = new Set();
    for (let first = 0; first < list.length; first += chunk) {
      const part = list.slice(first, first + chunk);
      await copyRows(
        sql,
        'claimants',
        ['id', 'name', 'sort_key', 'kind', 'aliases', 'wikidata_id', 'created_by', 'created_at', 'updated_at'],
        part.map((c) => [c.id, c.name, searchKey(c.name), c.kind, textArray(c.aliases), c.wikidataId, editor.id, at, at]),
      );
      // As writeSearchNames does: each name and alias from each of its words on, and their words.
      const names = [];
      for (const c of part) for (const row of nameSearchRows(c.name, c.aliases)) names.push([c.id, row.wordKey, row.nameKey, row.primary]);
      await copyRows(sql, 'claimant_names', ['claimant_id', 'word_key', 'name_key', 'is_primary'], names);
      for (const row of names) for (const word of row[2].split(' ')) words.add(word);
      log(`  ${Math.min(list.length, first + chunk)} / ${list.length} claimants`);
    }
    await copyRows(
      sql,
      'claimant_words',
      ['word'],
      [...words].sort().map((word) => [word]),
    );
  });
  return list;
}
