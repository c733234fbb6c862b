import type { BookingDraft } from './assistant-keyspace.ts';
import type { AssistantServices } from './assistant-services.ts';
import { isStorageUnavailable } from './storage-unavailable.ts';
import { parseBookingTime, parsePhone } from './validation.ts';

/** The bot's answer to one step of the booking conversation. */
export type Say = (text: string) => Promise<void>;

/** Replies of the booking conversation the tests (and users) rely on. */
export const BOOKING_TEXT = {
  askPhone:
    'Let us book you in. Send your phone number in international format, for example +79991234567. /cancel stops.',
  askTime: (phone: string) =>
    `Booking with phone ${phone}. What time? Send it as YYYY-MM-DD HH:MM (UTC), for example 2030-05-14 15:30.`,
  booked: (at: Date, phone: string) => `Booked for ${formatTime(at)} UTC. We will call ${phone}.`,
  unavailable:
    'I cannot save your booking right now: our storage is unavailable. Nothing was booked. Send the time again in a few minutes.',
  cancelled: 'Booking cancelled; nothing was saved.',
} as const;

/** `/book`: start the conversation, skipping the phone step when one is saved. */
export async function startBooking(
  services: AssistantServices,
  userId: number,
  say: Say,
): Promise<void> {
  const phone = await services.userData.phone(userId);
  if (phone === undefined) {
    await services.drafts.set(userId, { step: 'phone' });
    return say(BOOKING_TEXT.askPhone);
  }
  await services.drafts.set(userId, { step: 'time', phone });
  return say(BOOKING_TEXT.askTime(phone));
}

/** A text message while a draft is open. Bad input changes nothing and says why. */
export async function continueBooking(
  services: AssistantServices,
  userId: number,
  draft: BookingDraft,
  text: string,
  say: Say,
): Promise<void> {
  if (draft.step === 'phone' || draft.phone === undefined) {
    const phone = parsePhone(text);
    if (!phone.ok) return say(phone.reason);
    await services.drafts.set(userId, { step: 'time', phone: phone.value });
    return say(BOOKING_TEXT.askTime(phone.value));
  }
  const at = parseBookingTime(text, services.now());
  if (!at.ok) return say(at.reason);
  try {
    await services.userData.book(userId, {
      phone: draft.phone,
      at: at.value,
      bookedAt: services.now(),
    });
  } catch (error) {
    if (!isStorageUnavailable(error)) throw error;
    return say(BOOKING_TEXT.unavailable);
  }
  await services.drafts.clear(userId);
  return say(BOOKING_TEXT.booked(at.value, draft.phone));
}

/** `2030-05-14 15:30`. */
export function formatTime(at: Date): string {
  return at.toISOString().slice(0, 16).replace('T', ' ');
}
