// The pages' calls to the public JSON, and what a failure means for a person, as a sentence.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code || (status === 0 ? 'NETWORK' : `HTTP_${status}`);
    this.errors = Array.isArray(problem?.errors) ? problem.errors : [];
  }
}

/** JSON in, JSON out; a refusal becomes an ApiError with the problem's code. */
export async function call(method, path, body, headers = {}) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, null);
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

const SENTENCES = {
  NETWORK: 'We could not reach the booking service. Check your connection and try again.',
  SLOT_UNAVAILABLE:
    'Sorry, that time was just taken or is no longer free. Please choose another time: the times shown are up to date.',
  HOLD_EXPIRED:
    'The five minutes we held that time for you ran out before you confirmed, so it was given back. Please choose a time again.',
  RATE_LIMITED: 'Too many attempts from your network in a short time. Please wait a minute and try again.',
  MICROSOFT_UNAVAILABLE: "The host's calendar could not be checked just now. Please try again in a moment.",
  MICROSOFT_NOT_CONNECTED:
    "This page cannot take bookings right now because the host's calendar is not connected. Please contact the host.",
  CONSENT_REVOKED:
    "This page cannot take bookings right now because the host's calendar needs to be reconnected. Please contact the host.",
  NOT_FOUND: 'This page no longer exists. It may have been switched off. Please ask the host for a new link.',
  IDEMPOTENCY_KEY_REUSED: 'Your details changed while a booking was being sent. Please confirm again.',
};

/** A sentence with what to do next, for any failure. */
export function sentence(error) {
  if (error instanceof ApiError && SENTENCES[error.code]) return SENTENCES[error.code];
  if (error instanceof ApiError && error.code === 'VALIDATION_FAILED' && error.errors.length > 0) {
    return `Please check this: ${error.errors.map((e) => e.message).join('; ')}.`;
  }
  if (error instanceof ApiError && error.code === 'VALIDATION_FAILED')
    return `${error.message} Please check and try again.`;
  return 'Something went wrong on our side. Please try again in a moment.';
}
