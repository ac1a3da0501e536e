/**
 * Seeds a Coffer database with many members, fast: one transaction, one
 * prepared statement, on its own connection to the file. The FTS triggers
 * fill the search index as rows go in. Deterministic: the same count gives
 * the same members on every run.
 */
import Database from 'better-sqlite3'

const FIRST_NAMES = [
  // Kenyan, Swahili and East African names
  'Grace', 'Jane', 'Mary', 'Faith', 'Mercy', 'Joyce', 'Esther', 'Ann', 'Lucy', 'Alice',
  'Margaret', 'Catherine', 'Elizabeth', 'Rose', 'Sarah', 'Ruth', 'Nancy', 'Susan', 'Beatrice', 'Caroline',
  'Agnes', 'Dorcas', 'Eunice', 'Florence', 'Gladys', 'Hellen', 'Irene', 'Josephine', 'Lilian', 'Millicent',
  'Naomi', 'Pauline', 'Rachel', 'Sharon', 'Tabitha', 'Veronica', 'Winnie', 'Zipporah', 'Purity', 'Charity',
  'Peris', 'Damaris', 'Emily', 'Diana', 'Judith', 'Priscilla', 'Rebecca', 'Violet', 'Edith', 'Leah',
  'Miriam', 'Christine', 'Janet', 'Monica', 'Teresia', 'Scholastica', 'Everlyne', 'Jacinta', 'Lydia', 'Hannah',
  'Akinyi', 'Atieno', 'Achieng', 'Adhiambo', 'Awino', 'Auma', 'Nafula', 'Nekesa', 'Naliaka', 'Wairimu',
  'Wangari', 'Njeri', 'Nyokabi', 'Muthoni', 'Wambui', 'Wangui', 'Chebet', 'Chelangat', 'Jepkosgei', 'Mwikali',
  'Mumbua', 'Ndinda', 'Kanini', 'Zawadi', 'Amani', 'Neema', 'Imani', 'Halima', 'Fatuma', 'Amina',
  'Zainabu', 'Mwanaisha', 'John', 'Peter', 'James', 'Joseph', 'David', 'Daniel', 'Samuel', 'Paul',
  'Stephen', 'Michael', 'Francis', 'George', 'Charles', 'Patrick', 'Anthony', 'Robert', 'Simon', 'Joshua',
  'Moses', 'Isaac', 'Dennis', 'Kevin', 'Brian', 'Collins', 'Victor', 'Eric', 'Geoffrey', 'Kennedy',
  'Vincent', 'Philip', 'Richard', 'Thomas', 'Martin', 'Benard', 'Evans', 'Nicholas', 'Timothy', 'Wycliffe',
  'Hillary', 'Edwin', 'Felix', 'Duncan', 'Alex', 'Mark', 'Andrew', 'Elijah', 'Jackson', 'Wilson',
  'Julius', 'Josphat', 'Ochieng', 'Omondi', 'Odhiambo', 'Onyango', 'Owino', 'Juma', 'Wafula', 'Wekesa',
  'Barasa', 'Simiyu', 'Kiprono', 'Kibet', 'Cheruiyot', 'Mwangi', 'Njoroge', 'Kariuki', 'Mutua', 'Musyoka',
  'Kioko', 'Mwenda', 'Kimani', 'Githinji', 'Hassan', 'Ali', 'Omar', 'Abdi', 'Yusuf', 'Mohamed',
  'Rashid', 'Salim', 'Bakari', 'Hamisi', 'Baraka', 'Tumaini', 'Jabali', 'Kito', 'Faraji', 'Rehema',
  // a few with diacritics
  'José', 'André', 'Zoë', 'Chloé', 'Renée', 'Björn', 'Søren', 'Jürgen', 'Łukasz', 'Inés',
  'François', 'Noël', 'Anaïs', 'Ángel', 'Raúl', 'Óscar', 'Gĩthĩnji', 'Wanjikũ', 'Ngũgĩ', 'Müge'
]

const LAST_NAMES = [
  'Wanjiru', 'Wanjiku', 'Wanjala', 'Wanjohi', 'Otieno', 'Otiende', 'Oteba', 'Kamau', 'Kamande', 'Kamotho',
  'Nyambura', 'Nyaga', 'Nyamweya', "Nyong'o", 'Chepkoech', 'Cheptoo', 'Chepngetich', 'Mwangi', 'Njoroge', 'Kariuki',
  'Kimani', 'Githinji', 'Gitau', 'Macharia', 'Maina', 'Mugo', 'Ndungu', 'Ngugi', "Ng'ang'a", 'Waweru',
  'Wachira', 'Muriuki', 'Mbugua', 'Kinyua', 'Karanja', 'Kiarie', 'Njenga', 'Ndirangu', 'Gathoni', 'Muthee',
  'Ochieng', 'Omondi', 'Odhiambo', 'Onyango', 'Owino', 'Okoth', 'Ouma', 'Oduor', 'Ogutu', 'Okello',
  'Obiero', 'Opiyo', 'Awuor', 'Akoth', 'Anyango', 'Wafula', 'Wekesa', 'Barasa', 'Simiyu', 'Wanyama',
  'Makokha', 'Masinde', 'Khaemba', 'Wanyonyi', 'Mukhwana', 'Kiprono', 'Kipchoge', 'Kibet', 'Cheruiyot', 'Koech',
  'Rotich', 'Langat', 'Kirui', 'Sang', 'Ruto', 'Kosgei', 'Biwott', 'Kiplagat', 'Tanui', 'Mutua',
  'Musyoka', 'Kioko', 'Mwenda', 'Muli', 'Nzioka', 'Kilonzo', 'Mutiso', 'Wambua', 'Ndunda', 'Mbithi',
  'Kyalo', 'Musau', 'Nzomo', 'Juma', 'Hassan', 'Ali', 'Omar', 'Abdi', 'Mohamed', 'Bakari',
  'Mwinyi', 'Salim', 'Said', 'Kombo', 'Mwakio', 'Mwakazi', 'Mghanga', 'Mnyika', 'Kahindi', 'Katana',
  'Baya', 'Chengo', 'Kazungu', 'Ngala', 'Mramba', 'Mwaura', 'Gachanja', 'Kagwe', 'Mathenge', 'Kirimi',
  'Mugambi', 'Mutembei', 'Kaberia', 'Gitonga', 'Murithi', 'Mbaabu', 'Nkatha', 'Kinoti', 'Marete', 'Muthomi',
  'Ndegwa', 'Theuri', 'Wahome', 'Muchiri', 'Kahara', 'Irungu', 'Kuria', 'Mwita', 'Chacha', 'Marwa',
  'Moraa', 'Nyaboke', 'Bosire', 'Ongeri', 'Nyakundi', 'Mogaka', 'Ombati', 'Mokaya', 'Momanyi', 'Makori',
  'Obare', 'Atieno', 'Achola', 'Odera', 'Ojwang', 'Oloo', 'Orwa', 'Ayieko', 'Abuya', 'Amollo',
  'Lagat', 'Keter', 'Chelimo', 'Bett', 'Too', 'Kemboi', 'Kipkemboi', 'Limo', 'Kiptoo', 'Sigei',
  'Mbatia', 'Kabiru', 'Gichuki', 'Kiama', 'Ngure', 'Wainaina', 'Mburu', 'Kahiga', 'Nduati', 'Kimotho',
  'Smith', 'Patel', 'Shah', 'Fernandes', 'Okafor', 'Mensah', 'Banda', 'Phiri', 'Moyo', 'Dlamini',
  // a few with diacritics
  'Müller', 'Núñez', 'Gómez', 'Pérez', 'Sørensen', 'Öztürk', 'Çelik', 'Dvořák', 'Lefèvre', 'Ngũgĩ'
]

const DOMAINS = ['example.org', 'example.com', 'mail.example.net', 'coop.example.ke']

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const ascii = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase()

const pad = (n: number, w: number): string => String(n).padStart(w, '0')

export interface SeedOptions {
  /** The SQLite file of a migrated Coffer database. */
  file: string
  count: number
  seed?: number
  /** Member numbers start after this one (M-000001 is the first when 0). */
  startNo?: number
}

/**
 * Inserts `count` members. Names: first + last (some with a middle name), a
 * few with diacritics; ~70% with an email, ~50% with a phone; joined between
 * 2000 and 2026; ~10% deactivated. Runs ANALYZE and PRAGMA optimize after.
 */
export function seedMembers({ file, count, seed = 20261122, startNo = 0 }: SeedOptions): void {
  const db = new Database(file, { timeout: 10_000 })
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    const rnd = prng(seed)
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T
    const insert = db.prepare(
      `INSERT INTO members (member_no, full_name, email, phone, address, national_id, joined_on, notes, active,
         deactivated_at, deactivation_reason, created_at, updated_at, version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`
    )
    const start = Date.UTC(2000, 0, 1)
    const span = Date.UTC(2026, 10, 21) - start
    db.transaction(() => {
      for (let i = 1; i <= count; i++) {
        const first = pick(FIRST_NAMES)
        const last = pick(LAST_NAMES)
        const middle = rnd() < 0.15 ? pick(FIRST_NAMES) : null
        const fullName = middle ? `${first} ${middle} ${last}` : `${first} ${last}`
        const email = rnd() < 0.7 ? `${ascii(first)}.${ascii(last)}${i % 97}@${pick(DOMAINS)}` : null
        const phone = rnd() < 0.5 ? `+254 7${pad(Math.floor(rnd() * 100), 2)} ${pad(Math.floor(rnd() * 1e6), 6)}` : null
        const joined = new Date(start + Math.floor(rnd() * span))
        const joinedOn = joined.toISOString().slice(0, 10)
        const createdAt = new Date(joined.getTime() + 9 * 3600_000 + Math.floor(rnd() * 8 * 3600_000)).toISOString()
        const active = rnd() < 0.9
        const updatedAt = active ? createdAt : new Date(Date.parse(createdAt) + 86_400_000 * 30).toISOString()
        insert.run(
          `M-${pad(startNo + i, 6)}`,
          fullName,
          email,
          phone,
          rnd() < 0.3 ? `P.O. Box ${1 + Math.floor(rnd() * 9999)}, Nairobi` : null,
          rnd() < 0.6 ? String(10_000_000 + Math.floor(rnd() * 29_999_999)) : null,
          joinedOn,
          null,
          active ? 1 : 0,
          active ? null : updatedAt,
          active ? null : 'Left the cooperative',
          createdAt,
          updatedAt
        )
      }
    }).immediate()
    db.exec('ANALYZE')
    db.pragma('optimize')
    db.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    db.close()
  }
}
