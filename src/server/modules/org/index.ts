/**
 * The org module's public surface: the pure rules other modules may use (masking personal data for
 * display) and the citizen profile type. Its model and store stay private.
 * @module
 */
export { maskIdNumber, maskName, maskPhone, type CitizenProfile } from './org.model.js'
