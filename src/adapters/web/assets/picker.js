// The time picker of the booking and manage pages: a week of days (closed days visibly so), the chosen
// day's times as buttons, a zone picker, week navigation. It lists exactly the slots `load` returns,
// grouped by day in the chosen zone; it opens on the first day that has times.
import {
  addDays,
  dayKey,
  groupByDay,
  localeFirstDay,
  startOfDay,
  weekDays,
  weekStart,
  zoneList,
} from './calendar.js';

const CHUNK_WEEKS = 4;
/** How far ahead the first free day is looked for before the page says there is none. */
const SEARCH_CHUNKS = 3;

const $ = (id) => document.getElementById(id);

function el(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) node.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(name, String(value));
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A calendar day as a Date at its UTC midnight, to format it as a date (never as a time). */
const dayDate = (key) => new Date(`${key}T00:00:00Z`);

export function createPicker({ load, onChoose, zone: initialZone, initialDay }) {
  const locale = navigator.language;
  const state = {
    zone: initialZone,
    firstDay: localeFirstDay(locale),
    week: null,
    selected: null,
    weeks: new Map(),
    busy: false,
  };
  const zoneSelect = $('zone');
  const prev = $('prev-week');
  const next = $('next-week');
  const label = $('week-label');
  const days = $('days');
  const times = $('times');
  const status = $('picker-status');

  zoneSelect.replaceChildren(
    ...zoneList(state.zone).map((z) => el('option', { value: z }, z.replace(/_/g, ' '))),
  );
  zoneSelect.value = state.zone;

  const formats = () => ({
    day: new Intl.DateTimeFormat(locale, {
      timeZone: 'UTC',
      weekday: 'short',
      day: 'numeric',
      month: 'short',
    }),
    longDay: new Intl.DateTimeFormat(locale, {
      timeZone: 'UTC',
      weekday: 'long',
      day: 'numeric',
      month: 'long',
    }),
    range: new Intl.DateTimeFormat(locale, {
      timeZone: 'UTC',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    }),
    time: new Intl.DateTimeFormat(locale, { timeZone: state.zone, timeStyle: 'short' }),
  });

  const today = () => dayKey(Date.now(), state.zone);

  /** Loads `weeks` weeks from `start` in one call. */
  async function fetchWeeks(start, weeks = CHUNK_WEEKS) {
    const from = startOfDay(start, state.zone);
    const to = startOfDay(addDays(start, 7 * weeks), state.zone);
    const slots = await load(new Date(from).toISOString(), new Date(to).toISOString(), state.zone);
    for (let i = 0; i < weeks; i++) state.weeks.set(addDays(start, 7 * i), []);
    for (const [key, daySlots] of groupByDay(slots, state.zone)) {
      const week = weekStart(key, state.firstDay);
      if (!state.weeks.has(week)) state.weeks.set(week, []);
      state.weeks.get(week).push(...daySlots);
    }
  }

  function slotsOn(key) {
    const week = state.weeks.get(weekStart(key, state.firstDay)) || [];
    return week.filter((s) => dayKey(Date.parse(s.start), state.zone) === key);
  }

  function setStatus(text) {
    status.textContent = text;
  }

  function render() {
    const f = formats();
    const keys = weekDays(state.week);
    label.textContent = f.range.formatRange(dayDate(keys[0]), dayDate(keys[6]));
    prev.disabled = state.busy || state.week <= weekStart(today(), state.firstDay);
    next.disabled = state.busy;
    days.replaceChildren(
      ...keys.map((key) => {
        const count = slotsOn(key).length;
        const button = el('button', {
          type: 'button',
          class: count ? 'day' : 'day closed',
          'aria-pressed': String(key === state.selected),
          disabled: count === 0,
          'data-day': key,
        });
        button.append(
          el('span', { class: 'day-name' }, f.day.format(dayDate(key))),
          el(
            'span',
            { class: 'day-count' },
            count ? `${count} ${count === 1 ? 'time' : 'times'}` : 'No times',
          ),
        );
        button.addEventListener('click', () => selectDay(key, true));
        const item = el('li');
        item.appendChild(button);
        return item;
      }),
    );
    const chosen = state.selected && keys.includes(state.selected) ? state.selected : null;
    const daySlots = chosen ? slotsOn(chosen) : [];
    if (!chosen || daySlots.length === 0) {
      times.replaceChildren(
        el('p', { class: 'empty' }, state.busy ? '' : 'No free times this week. Try the next week.'),
      );
      return;
    }
    const list = el('ul', { class: 'time-list', 'aria-labelledby': 'times-heading' });
    for (const slot of daySlots) {
      const button = el('button', { type: 'button', class: 'time', 'data-start': slot.start });
      button.textContent = f.time.format(new Date(slot.start));
      button.addEventListener('click', () => onChoose(slot, state.zone));
      list.appendChild(el('li')).appendChild(button);
    }
    times.replaceChildren(
      el('h3', { id: 'times-heading' }, `Times on ${f.longDay.format(dayDate(chosen))}`),
      list,
    );
  }

  function selectDay(key, focusTimes) {
    state.selected = key;
    render();
    if (focusTimes) times.querySelector('button')?.focus();
  }

  async function showWeek(week, { keepDay, weeks } = {}) {
    state.week = week;
    if (!state.weeks.has(week)) {
      state.busy = true;
      setStatus('Loading times…');
      render();
      try {
        await fetchWeeks(week, weeks);
      } finally {
        state.busy = false;
      }
    }
    const keys = weekDays(week);
    if (!(keepDay && keys.includes(state.selected) && slotsOn(state.selected).length > 0)) {
      state.selected = keys.find((k) => slotsOn(k).length > 0) ?? null;
    }
    setStatus('');
    render();
  }

  /** Opens on the first day with times (or `day`), looking a few chunks ahead. */
  async function open(day) {
    if (day) {
      state.selected = day;
      return showWeek(weekStart(day, state.firstDay), { keepDay: true });
    }
    // This week and the next in one call (late in a week, this one alone is often empty), then further.
    const thisWeek = weekStart(today(), state.firstDay);
    await showWeek(thisWeek, { weeks: 2 });
    if (!state.selected && (state.weeks.get(addDays(thisWeek, 7)) || []).length > 0) {
      return showWeek(addDays(thisWeek, 7));
    }
    if (state.selected) return;
    let week = addDays(thisWeek, 14);
    for (let i = 0; i < SEARCH_CHUNKS; i++) {
      await showWeek(week);
      const found = [...state.weeks.entries()]
        .filter(([w, slots]) => w >= week && slots.length > 0)
        .sort(([a], [b]) => (a < b ? -1 : 1))[0];
      if (found) return showWeek(found[0]);
      week = addDays(week, 7 * CHUNK_WEEKS);
    }
    await showWeek(weekStart(today(), state.firstDay));
    setStatus(
      `No free times in the next ${SEARCH_CHUNKS * CHUNK_WEEKS} weeks. You can look further ahead, or contact the host.`,
    );
  }

  function fail(error, sentence) {
    state.busy = false;
    setStatus(sentence(error));
    render();
  }

  prev.addEventListener('click', () =>
    showWeek(addDays(state.week, -7)).catch((e) => fail(e, picker.sentence)),
  );
  next.addEventListener('click', () =>
    showWeek(addDays(state.week, 7)).catch((e) => fail(e, picker.sentence)),
  );
  zoneSelect.addEventListener('change', () => {
    state.zone = zoneSelect.value;
    const day = state.selected;
    state.weeks.clear();
    open(day).catch((e) => fail(e, picker.sentence));
  });

  const picker = {
    sentence: (e) => String(e),
    get zone() {
      return state.zone;
    },
    start(sentence) {
      picker.sentence = sentence;
      return open(initialDay).catch((e) => fail(e, sentence));
    },
    /** Fresh times for the week on screen (after a time was taken), keeping the chosen day. */
    reload() {
      state.weeks.clear();
      return showWeek(state.week, { keepDay: true }).catch((e) => fail(e, picker.sentence));
    },
    focus() {
      (times.querySelector('button') || days.querySelector('button:not([disabled])') || zoneSelect).focus();
    },
  };
  return picker;
}
