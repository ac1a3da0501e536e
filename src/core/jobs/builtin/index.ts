import type { JobDefinition } from '../types'
import { backupJob } from './backup'
import { integrityJob } from './integrity'
import { couponsJob } from './coupons'
import { maturityJob } from './maturity'

/** Every job Coffer ships. Later areas (coupons, payroll, recurring...) add theirs here. */
export const builtinJobs: JobDefinition[] = [backupJob, integrityJob, couponsJob, maturityJob]
