// The engine's CRM functions this module relies on, in one place.
export {
  donorMetrics,
  donorRetention,
  isSequenceType,
  mandateExpiryDate,
  maskIban,
  sepaReturnReason,
  validateCreditorId,
  validateIban,
  validateMandateReference,
} from '@centralino/engine';
