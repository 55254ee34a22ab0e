/**
 * The org module's public surface: the pure rules other modules may use (masking personal data for
 * display; who answers to whom, who is on duty) and the citizen profile type. Its model and store stay private.
 * @module
 */
export {
  leadersAmong,
  maskIdNumber,
  maskName,
  maskPhone,
  onDutyAt,
  superiorsAmong,
  type CitizenProfile,
  type Member,
} from './org.model.js'
