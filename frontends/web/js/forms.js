// What a clerk types into a form, read the way they mean it; what cannot be read is refused
// with a message, never dropped.

// A date of birth as typed: day/month/year (05/03/1985), ISO (1985-03-05, what a date picker or
// a copied value gives) or a year alone. Empty: unknown. Anything else throws, in words.
export function parseBirth(text, t) {
  const typed = text.trim();
  if (!typed) return {};
  if (/^\d{4}$/.test(typed)) return { birth_year: Number(typed) };
  const dmy = typed.match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/);
  const iso = typed.match(/^(\d{4})-(\d{1,2})-(\d{1,2})$/);
  const [year, month, day] = dmy ? [dmy[3], dmy[2], dmy[1]] : iso ? [iso[1], iso[2], iso[3]] : [];
  const date = year && new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (!date || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) {
    throw new Error(t.badBirth(typed));
  }
  return { birth_date: `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}` };
}

// A required choice with nothing chosen at first: the clerk picks, the page does not guess.
export function choices(options, t) {
  return [["", t.choose], ...options];
}
