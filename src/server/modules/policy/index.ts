/**
 * The policy module's public surface: the kinds, their names and how a result names its policy.
 * @module
 */
export {
  CHAIN_SELECTORS,
  POLICY_KINDS,
  POLICY_KIND_NAMES,
  governingVersion,
  isPolicyKind,
  policyId,
  type PolicyKind,
  type PolicyVersion,
} from './policy.model.js'
