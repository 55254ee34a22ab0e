/**
 * Working-day calendar: holidays, 调休 make-up days, working hours and 承诺时限 due-time arithmetic. Pure.
 * @module
 */
export {
  CalendarError,
  WorkCalendar,
  dayNumberOf,
  isoDateOf,
  type NormalisedCalendarConfig,
  type WorkCalendarConfig,
} from './calendar.js'
export { DurationError, isValidDuration, parseDuration, type ParsedDuration } from './duration.js'
export {
  CHINA_HOLIDAY_SCHEDULES,
  CHINA_HOLIDAY_YEARS,
  chinaCalendarConfig,
  chinaWorkCalendar,
  scheduleCalendarConfig,
  type HolidayPeriod,
  type HolidaySchedule,
} from './holidays.cn.js'
export { VersionedWorkCalendar, type CalendarVersion } from './versioned.js'
