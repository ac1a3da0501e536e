import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { collationFor } from '../../../src/core/members/sort-key'

const byKey = (locale: string) => {
  const c = collationFor(locale)
  return (a: string, b: string): number => {
    const ka = c.key(a)
    const kb = c.key(b)
    return ka < kb ? -1 : ka > kb ? 1 : 0
  }
}
const sorted = (locale: string, names: string[]): string[] => [...names].sort(byKey(locale))

describe('member name sort keys', () => {
  it('Polish: Ł after L, Ć after C, Ę after E, Ź and Ż after Z', () => {
    expect(sorted('pl-PL', ['Zoë', 'Żaneta', 'Łukasz', 'Lucyna', 'Mateusz', 'Ćwik', 'Czarny', 'Ewa', 'Ęba', 'Źdźbło', 'Zenon'])).toEqual([
      'Czarny', 'Ćwik', 'Ewa', 'Ęba', 'Lucyna', 'Łukasz', 'Mateusz', 'Zenon', 'Zoë', 'Źdźbło', 'Żaneta'
    ])
  })

  it('English and Swahili (en-KE): accents do not move a letter, "Łukasz" before "Zoë"', () => {
    expect(sorted('en-KE', ['Zoë', 'Łukasz', 'Mary', 'Ngũgĩ', 'Ngugi', 'Nyambura', 'ngugi', "Nyong'o", 'Óscar', 'Otieno'])).toEqual([
      'Łukasz', 'Mary', 'ngugi', 'Ngugi', 'Ngũgĩ', 'Nyambura', "Nyong'o", 'Óscar', 'Otieno', 'Zoë'
    ])
  })

  it('German: Ä with A, Ö with O, ß as ss', () => {
    expect(sorted('de-DE', ['Zimmermann', 'Öztürk', 'Otto', 'Ärger', 'Adler', 'Müller', 'Mueller', 'Muller', 'Straße', 'Strasse', 'Strassen'])).toEqual([
      'Adler', 'Ärger', 'Mueller', 'Muller', 'Müller', 'Otto', 'Öztürk', 'Strasse', 'Straße', 'Strassen', 'Zimmermann'
    ])
  })

  it('Swedish: Å, Ä, Ö after Z', () => {
    expect(sorted('sv-SE', ['Öberg', 'Zetterlund', 'Åsa', 'Ängel', 'Andersson', 'Olsson'])).toEqual([
      'Andersson', 'Olsson', 'Zetterlund', 'Åsa', 'Ängel', 'Öberg'
    ])
  })

  it('Spanish: Ñ after N', () => {
    expect(sorted('es-ES', ['Ñandú', 'Nuñez', 'Núñez', 'Nunez', 'Oliva', 'Nyman'])).toEqual(['Nunez', 'Nuñez', 'Núñez', 'Nyman', 'Ñandú', 'Oliva'])
  })

  it('letters written with two characters: Czech CH after H, Danish AA as Å', () => {
    expect(sorted('cs-CZ', ['Chalupa', 'Hrubý', 'Ivan', 'Cyril'])).toEqual(['Cyril', 'Hrubý', 'Chalupa', 'Ivan'])
    expect(sorted('da-DK', ['Aage', 'Bent', 'Øster', 'Åse'])).toEqual(['Bent', 'Øster', 'Aage', 'Åse'])
  })

  it('other scripts keep their own order; spaces and shorter names first', () => {
    expect(sorted('ru-RU', ['Яна', 'Ёлка', 'Ева', 'Иван'])).toEqual(['Ева', 'Ёлка', 'Иван', 'Яна'])
    expect(sorted('en', ['Vandenberg', 'Van Dyk', 'Anna', 'Ann'])).toEqual(['Ann', 'Anna', 'Van Dyk', 'Vandenberg'])
    expect(sorted('en', ['李小龍', 'Zed', 'ሰላም', 'Ωmega'])).toEqual(['Zed', 'Ωmega', 'ሰላም', '李小龍'])
  })

  it("property: the keys order names as the locale's collator does", () => {
    const alphabets: Record<string, string> = {
      'pl-PL': 'aąbcćdeęfghijklłmnńoóprsśtuwyzźżAĄCĆŁŚŻ -\'',
      'de-DE': 'aäbcdefghijklmnoöpqrsßtuüvwxyzAÄÖÜ -',
      'sv-SE': 'aåäbcdefghijklmnoöpqrstuvwxyzÅÄÖ -',
      'es-ES': 'aábcdeéfghiíjklmnñoópqrstuúüvwxyzÑ -',
      'en-KE': 'abcdefghijklmnopqrstuvwxyzĩũëéABZ -\''
    }
    for (const [locale, letters] of Object.entries(alphabets)) {
      // Names are stored trimmed (the contract trims them).
      const name = fc
        .string({ unit: fc.constantFrom(...Array.from(letters)), minLength: 1, maxLength: 8 })
        .filter((n) => n.trim() === n && n.length > 0)
      const collator = new Intl.Collator(locale)
      const cmp = byKey(locale)
      fc.assert(
        fc.property(name, name, (a, b) => {
          const want = Math.sign(collator.compare(a, b))
          if (want !== 0) expect(Math.sign(cmp(a, b)), `${locale}: ${a} vs ${b}`).toBe(want)
        }),
        { numRuns: 2000 }
      )
    }
  })
})
