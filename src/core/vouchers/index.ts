export {
  renderVouchers,
  type PaymentMethod,
  type RenderVoucherOptions,
  type VoucherCooperative,
  type VoucherData
} from './pdf'
export { PRIMARY_BOLD, PRIMARY_REGULAR } from './fonts'
