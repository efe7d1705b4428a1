// Fictional Italians for the demo and the benchmarks: common first and last
// names (most frequent surname first), cities with their cadastral code,
// landline prefix and postal code, and a valid codice fiscale for a person.
import { fiscalCodeCheckCharacter, fiscalCodeNameLetters } from '@centralino/engine';

export const FEMALE_NAMES = [
  'Giulia',
  'Francesca',
  'Chiara',
  'Sara',
  'Martina',
  'Valentina',
  'Alessia',
  'Elena',
  'Anna',
  'Laura',
  'Federica',
  'Silvia',
  'Paola',
  'Roberta',
  'Maria',
  'Giovanna',
  'Lucia',
  'Rita',
  'Teresa',
  'Carla',
];
export const MALE_NAMES = [
  'Marco',
  'Alessandro',
  'Luca',
  'Giuseppe',
  'Francesco',
  'Andrea',
  'Matteo',
  'Lorenzo',
  'Davide',
  'Stefano',
  'Giovanni',
  'Roberto',
  'Paolo',
  'Antonio',
  'Mario',
  'Fabio',
  'Simone',
  'Riccardo',
  'Daniele',
  'Pietro',
];
export const SURNAMES = [
  'Rossi',
  'Russo',
  'Ferrari',
  'Esposito',
  'Bianchi',
  'Romano',
  'Colombo',
  'Ricci',
  'Marino',
  'Greco',
  'Bruno',
  'Gallo',
  'Conti',
  'De Luca',
  'Mancini',
  'Costa',
  'Giordano',
  'Rizzo',
  'Lombardi',
  'Moretti',
  'Barbieri',
  'Fontana',
  'Santoro',
  'Mariani',
  'Rinaldi',
  'Caruso',
  'Ferrara',
  'Galli',
  'Martini',
  'Leone',
  "D'Angelo",
  'Longo',
  'Gentile',
  'Martinelli',
  'Vitale',
  'Lombardo',
  'Serra',
  'Coppola',
  'De Santis',
  'Marchetti',
];

export const PLACES = [
  { code: 'H501', city: 'Roma', province: 'RM', prefix: '06', cap: '00184' },
  { code: 'F205', city: 'Milano', province: 'MI', prefix: '02', cap: '20121' },
  { code: 'F839', city: 'Napoli', province: 'NA', prefix: '081', cap: '80134' },
  { code: 'L219', city: 'Torino', province: 'TO', prefix: '011', cap: '10121' },
  { code: 'A944', city: 'Bologna', province: 'BO', prefix: '051', cap: '40121' },
  { code: 'D612', city: 'Firenze', province: 'FI', prefix: '055', cap: '50122' },
  { code: 'G273', city: 'Palermo', province: 'PA', prefix: '091', cap: '90133' },
  { code: 'L736', city: 'Venezia', province: 'VE', prefix: '041', cap: '30121' },
] as const;

const MONTH_LETTERS = 'ABCDEHLMPRST';

/** A valid personal codice fiscale (DM 23/12/1976): name letters, date, place, check character. */
export function personalFiscalCode(person: {
  firstName: string;
  lastName: string;
  birth: Date;
  female: boolean;
  placeCode: string;
}): string {
  const letters = fiscalCodeNameLetters({ familyName: person.lastName, givenName: person.firstName });
  const year = String(person.birth.getUTCFullYear() % 100).padStart(2, '0');
  const day = String(person.birth.getUTCDate() + (person.female ? 40 : 0)).padStart(2, '0');
  const first15 = `${letters}${year}${MONTH_LETTERS[person.birth.getUTCMonth()]}${day}${person.placeCode}`;
  return `${first15}${fiscalCodeCheckCharacter(first15)}`;
}
