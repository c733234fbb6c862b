/** Test helpers for implementations of the core ports. */
export {
  type MessageBusContractSetup,
  registerMessageBusContract,
} from './message-bus-contract.ts';
export { registerTierContract, type TierContractSetup } from './tier-contract.ts';
