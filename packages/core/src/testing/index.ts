/** Test helpers for implementations of the core ports. */
export { registerTierContract, type TierContractSetup } from './tier-contract.ts';
