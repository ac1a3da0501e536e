/** A monthly 12% series with 15% withholding: the bond tests' common terms. */
export const SERIES = {
  code: 'UMJ-27',
  name: 'Umoja 12% 2027',
  faceValueMinor: 100_000, // KES 1,000.00 a unit
  couponRatePercent: '12',
  frequency: 'monthly',
  dayCount: '30/360',
  issueDate: '2026-01-01',
  maturityDate: '2027-01-01',
  firstCouponDate: null,
  endOfMonth: false,
  businessDay: 'unadjusted',
  withholdingTaxPercent: '15'
} as const
