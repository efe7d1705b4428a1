// Phone numbers to E.164 with their type (mobile, landline, toll-free …), through
// libphonenumber-js and Google's libphonenumber metadata ("max" set: the number
// ranges per type, needed for `type` and `valid`).

import {
  type CountryCode,
  isSupportedCountry,
  type NumberType,
  ParseError,
  parsePhoneNumberWithError,
  validatePhoneNumberLength,
} from 'libphonenumber-js/max';

export type PhoneType =
  | 'mobile'
  | 'fixed_line'
  /** Some countries (US, CA) share ranges between mobile and fixed lines. */
  | 'fixed_line_or_mobile'
  /** Italy: numero verde (800, 803). */
  | 'toll_free'
  | 'premium_rate'
  /** Italy: numero a costo ripartito (84x). */
  | 'shared_cost'
  | 'voip'
  | 'personal_number'
  | 'pager'
  | 'uan'
  | 'voicemail'
  /** Not in any known range of the country (`valid: false`) or not classified. */
  | 'unknown';

export type PhoneInvalidReason =
  | 'empty'
  /** No digits where a number should be. */
  | 'not_a_number'
  /** The country code (or the default country) is unknown. */
  | 'invalid_country'
  | 'too_short'
  | 'too_long'
  /** A length between the shortest and longest of the country that no number has. */
  | 'invalid_length';

export type PhoneNormalization =
  | {
      ok: true;
      /** `+393471234567`: what to store, dial and check against the opt-out register. */
      e164: string;
      /** `+39 347 123 4567`, for display. */
      international: string;
      /** ISO 3166 country, when the number's calling code and range identify one. */
      country: string | undefined;
      callingCode: string;
      nationalNumber: string;
      type: PhoneType;
      /** In an assigned range of the country per libphonenumber; `false` means possible length only. */
      valid: boolean;
    }
  | { ok: false; reason: PhoneInvalidReason; message: string };

const REASONS: Record<string, PhoneInvalidReason> = {
  NOT_A_NUMBER: 'not_a_number',
  INVALID_COUNTRY: 'invalid_country',
  TOO_SHORT: 'too_short',
  TOO_LONG: 'too_long',
  INVALID_LENGTH: 'invalid_length',
};

const MESSAGES: Record<PhoneInvalidReason, string> = {
  empty: 'the phone number is empty',
  not_a_number: 'no phone number found',
  invalid_country: 'unknown country or calling code',
  too_short: 'too few digits for the country',
  too_long: 'too many digits for the country',
  invalid_length: 'no number of the country has this many digits',
};

function fail(reason: PhoneInvalidReason): PhoneNormalization {
  return { ok: false, reason, message: MESSAGES[reason] };
}

/**
 * Parses a number as written by a person or an import: `+39 347 123 4567`,
 * `0039 347.123.4567`, `347/1234567`, `06 6982 1234`. Numbers without an
 * international prefix belong to `defaultCountry` (ISO 3166 alpha-2, default `IT`;
 * the Italian trunk 0 of landlines is part of the number and is kept). Returns
 * `ok: true` for every number of a possible length; `valid` tells whether it is in
 * an assigned range, `type` which one.
 */
export function normalizePhone(raw: string, defaultCountry = 'IT'): PhoneNormalization {
  if (raw.trim() === '') return fail('empty');
  if (!isSupportedCountry(defaultCountry)) return fail('invalid_country');
  const country = defaultCountry as CountryCode;
  let phone: ReturnType<typeof parsePhoneNumberWithError>;
  try {
    phone = parsePhoneNumberWithError(raw, country);
  } catch (error) {
    if (error instanceof ParseError) return fail(REASONS[error.message] ?? 'not_a_number');
    throw error;
  }
  if (!phone.isPossible()) {
    const length = validatePhoneNumberLength(raw, country);
    return fail(length ? (REASONS[length] ?? 'invalid_length') : 'invalid_length');
  }
  const valid = phone.isValid();
  const type: NumberType = valid ? phone.getType() : undefined;
  return {
    ok: true,
    e164: phone.number,
    // Formatting costs as much as the parse; imports of a million rows never show it.
    get international() {
      return phone.formatInternational();
    },
    country: phone.country,
    callingCode: phone.countryCallingCode,
    nationalNumber: phone.nationalNumber,
    type: type ? (type.toLowerCase() as PhoneType) : 'unknown',
    valid,
  };
}
