/**
 * The HTTP API's types, for the app, the service worker, the tests and the
 * benchmarks. Each is `Static<typeof …>` of the schema the server validates
 * and documents with (shared/schemas/): written once. Types only, so
 * importing from here never puts TypeBox in a bundle.
 */
export type { ApiError, Outcome, Role, TransactionType } from './schemas/common.js';
export type { LoginBody, Me } from './schemas/auth.js';
export type { Health } from './schemas/health.js';
export type { Branch, BranchesQuery } from './schemas/branches.js';
export type { Workstation, WorkstationBody, WorkstationRecord } from './schemas/workstations.js';
export type { CreateStaffBody, RoleBody, StaffAccount } from './schemas/staff.js';
export type {
  CreateSessionBody, ListSessionsQuery, OutcomeCounts, ProcessProgress, SessionDetail, SessionState, SessionSummary, UploadBody, UploadReply,
  UploadSummary,
} from './schemas/sessions.js';
export type {
  Correction, FollowUpBranch, HistoryEntry, ResultsPage, ResultsQuery, RetryAllReply, RetryReply, TransactionDetail, TransactionResult,
} from './schemas/results.js';
export type { AuditEntry, AuditFilter, AuditPage, AuditQuery } from './schemas/audit.js';
export type { ImportBody, ImportCounts, ImportError, ImportFile, ImportFiles, ImportRejected, ImportReport } from './schemas/library-import.js';
export type { LoanPolicyBody, LoanPolicyRecord } from './schemas/policies.js';
export type { BranchCalendar, Closure, ClosureBody } from './schemas/calendars.js';
export type { ExportFormat, ExportQuery, ExportSummary } from './schemas/export.js';
export type { NewPatron, OfflineTransaction } from './schemas/transaction.js';
