/**
 * The operational schema (PostgreSQL dialect, shared by embedded PGlite and a Postgres server).
 * IDs carry a type prefix (`cus_…`, `cdr_…`) so a bare ID in a log or URL says what it is.
 * Phone numbers are stored as E.164 beside the form the user typed (CRM-01, CRM-14).
 */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: text('role').$type<'admin' | 'supervisor' | 'agent' | 'sales_manager' | 'sales'>().notNull(),
  /** Organisation tree (CRM-02): the user's department, for data scopes. */
  departmentId: text('department_id'),
  passwordHash: text('password_hash').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the cookie token; the token itself is never stored. */
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const agents = pgTable('agents', {
  id: text('id').primaryKey(),
  userId: text('user_id')
    .notNull()
    .unique()
    .references(() => users.id, { onDelete: 'cascade' }),
  extension: text('extension').notNull().unique(),
  /** SIP digest secret of the agent's phone. Kept apart from the web password hash (ADR 0002). */
  sipPassword: text('sip_password').notNull(),
  /** ACD-08 open items per channel, e.g. {"chat": 3}; missing channels use the engine defaults. */
  capacity: jsonb('capacity'),
  createdAt: createdAt(),
});

export const skillGroups = pgTable('skill_groups', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  displayName: text('display_name').notNull(),
  strategy: text('strategy').notNull().default('longest_idle'),
  wrapUpSeconds: integer('wrap_up_seconds').notNull().default(15),
  ringTimeoutSeconds: integer('ring_timeout_seconds').notNull().default(20),
  /** Which group wins an agent that several groups want (ACD-02). */
  weight: integer('weight').notNull().default(1),
  /** Service-level threshold: answered within this many seconds (ACD-07). */
  slSeconds: integer('sl_seconds').notNull().default(20),
  /** Callers who hang up sooner are short abandons, kept out of the service level. */
  shortAbandonSeconds: integer('short_abandon_seconds').notNull().default(5),
  maxQueue: integer('max_queue'),
  /** ACD-04 overflow rules: [{ when, threshold, to }]. */
  overflow: jsonb('overflow')
    .notNull()
    .default(sql`'[]'::jsonb`),
  /** Level widening over time, keeping the caller's place: [{ afterSeconds, maxLevel }]. */
  escalation: jsonb('escalation')
    .notNull()
    .default(sql`'[]'::jsonb`),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const agentGroups = pgTable(
  'agent_groups',
  {
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    groupId: text('group_id')
      .notNull()
      .references(() => skillGroups.id, { onDelete: 'cascade' }),
    /** ACD-02: 1 is offered first. */
    level: integer('level').notNull().default(1),
    /** ACD-03: weekly windows when this membership applies; null = always. */
    schedule: jsonb('schedule'),
  },
  (t) => [uniqueIndex('agent_groups_pk').on(t.agentId, t.groupId)],
);

export const serviceNumbers = pgTable('service_numbers', {
  number: text('number').primaryKey(),
  name: text('name').notNull(),
  flowId: text('flow_id').notNull(),
  createdAt: createdAt(),
});

/**
 * IVR flows (IVR-05, issue #5): a flow is a series of versions; service numbers run the published
 * one. A new version changes nothing until it is published; publishing an earlier one rolls back.
 */
export const ivrFlows = pgTable('ivr_flows', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** The latest version's number. */
  version: integer('version').notNull().default(1),
  /**
   * The published version's document, written in the same transaction as `published_version`
   * (null until one is published). Calls read `ivr_flow_versions`; this copy serves older readers.
   */
  document: jsonb('document'),
  /** The version service numbers run; null until one is published. */
  publishedVersion: integer('published_version'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const ivrFlowVersions = pgTable(
  'ivr_flow_versions',
  {
    flowId: text('flow_id')
      .notNull()
      .references(() => ivrFlows.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    /** The flow document as validated when the version was created. */
    document: jsonb('document').notNull(),
    /** User id; null for the demo seed and versions carried over from before versioning. */
    createdBy: text('created_by'),
    createdAt: createdAt(),
    /** When this version was last made live; null if it never was. */
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('ivr_flow_versions_pk').on(t.flowId, t.version)],
);

export const customers = pgTable(
  'customers',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind').$type<'company' | 'person'>().notNull().default('company'),
    /** Value tier: key, ordinary, small. */
    tier: text('tier'),
    relationshipType: text('relationship_type')
      .$type<'customer' | 'distributor' | 'agent' | 'partner' | 'supplier'>()
      .notNull()
      .default('customer'),
    lifecycleStage: text('lifecycle_stage')
      .$type<'prospect' | 'responder' | 'customer' | 'churned' | 'won_back'>()
      .notNull()
      .default('customer'),
    industry: text('industry'),
    region: text('region'),
    /** The name without legal-form words, case and punctuation: the key of name-duplicate detection. */
    nameKey: text('name_key').notNull().default(''),
    /** Unified social credit code (统一社会信用代码), 18 characters. */
    creditCode: text('credit_code'),
    /** ID in the system the customer was imported from; upsert key of imports. */
    externalId: text('external_id'),
    ownerUserId: text('owner_user_id'),
    departmentId: text('department_id'),
    customFields: jsonb('custom_fields')
      .notNull()
      .default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** Soft delete: hidden from every list and lookup, kept for audit and undo. */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    index('customers_name_idx').on(t.name),
    index('customers_name_key_idx').on(t.nameKey),
    index('customers_owner_idx').on(t.ownerUserId),
    index('customers_department_idx').on(t.departmentId),
    index('customers_credit_code_idx').on(t.creditCode),
    uniqueIndex('customers_external_id_idx').on(t.externalId),
  ],
);

export const contacts = pgTable(
  'contacts',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    title: text('title'),
    createdAt: createdAt(),
  },
  (t) => [index('contacts_customer_idx').on(t.customerId)],
);

export const contactPhones = pgTable(
  'contact_phones',
  {
    id: text('id').primaryKey(),
    contactId: text('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /** Canonical E.164 (`+8613800000001`); the screen-pop lookup key. */
    e164: text('e164').notNull(),
    /** As the user wrote it. */
    raw: text('raw').notNull(),
    /** The national number as dialled in China, digits only (`02162345678`): partial-number search. */
    digits: text('digits').notNull().default(''),
    kind: text('kind').$type<'mobile' | 'landline' | '400' | 'extension' | 'other'>(),
    /** Extension behind a switchboard number (`021-62345678-801` → "801"). */
    extension: text('extension'),
  },
  (t) => [
    index('contact_phones_e164_idx').on(t.e164),
    index('contact_phones_contact_idx').on(t.contactId),
    // Loading a customer's phones, and the cascade when a customer is deleted, go by customer.
    index('contact_phones_customer_idx').on(t.customerId),
  ],
);

export const cdrs = pgTable(
  'cdrs',
  {
    id: text('id').primaryKey(),
    callId: text('call_id').notNull(),
    direction: text('direction').$type<'inbound' | 'outbound' | 'internal'>().notNull().default('inbound'),
    caller: text('caller').notNull(),
    callerE164: text('caller_e164'),
    dnis: text('dnis').notNull(),
    queue: text('queue'),
    agentId: text('agent_id'),
    agentExtension: text('agent_extension'),
    customerId: text('customer_id'),
    offeredAt: timestamp('offered_at', { withTimezone: true }).notNull(),
    ivrAt: timestamp('ivr_at', { withTimezone: true }),
    queuedAt: timestamp('queued_at', { withTimezone: true }),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    /** ACD-06: the caller asked to be called back instead of waiting on the line. */
    callbackRequestedAt: timestamp('callback_requested_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    disposition: text('disposition').notNull().default('in_progress'),
    hangupBy: text('hangup_by'),
    ivrPath: jsonb('ivr_path')
      .notNull()
      .default(sql`'[]'::jsonb`),
    recordingPath: text('recording_path'),
    recordingDurationMs: integer('recording_duration_ms'),
    /** CC-04/CC-05: every hold, transfer, conference and supervisor step, in order. */
    chain: jsonb('chain')
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** CC-10 retention: when the recording file was deleted by policy (the path is cleared). */
    recordingDeletedAt: timestamp('recording_deleted_at', { withTimezone: true }),
    /** ACD-05 caller rules that routed the call, e.g. ["vip:金牌客户", "prefix:+8610"]. */
    routing: jsonb('routing')
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** The service number's flow and the version the call started on (IVR metrics per flow). */
    ivrFlowId: text('ivr_flow_id'),
    ivrFlowVersion: integer('ivr_flow_version'),
  },
  (t) => [index('cdrs_offered_idx').on(t.offeredAt), uniqueIndex('cdrs_call_id_idx').on(t.callId)],
);

export const agentStateLog = pgTable(
  'agent_state_log',
  {
    id: text('id').primaryKey(),
    agentId: text('agent_id').notNull(),
    state: text('state').notNull(),
    reason: text('reason'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('agent_state_log_agent_idx').on(t.agentId, t.startedAt)],
);

/**
 * Contact-center settings that are one document each (ACD-05 caller rules and sticky agent),
 * validated by the owning module before they are written.
 */
export const acdSettings = pgTable('acd_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedBy: text('updated_by'),
  updatedAt: updatedAt(),
});

/** Company holiday calendar (ACD-03): scheduled memberships are off on these local dates. */
export const holidays = pgTable('holidays', {
  /** Local date in Asia/Shanghai, "YYYY-MM-DD". */
  date: text('date').primaryKey(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

/**
 * Work besides voice (ACD-08): chats, e-mails, SMS and tasks routed by the ACD to agents with
 * free capacity on that channel.
 */
export const workItems = pgTable(
  'work_items',
  {
    id: text('id').primaryKey(),
    channel: text('channel').$type<'chat' | 'email' | 'sms' | 'task'>().notNull(),
    queue: text('queue').notNull(),
    priority: integer('priority').notNull().default(0),
    subject: text('subject').notNull(),
    /** Who it is from: a phone number, an e-mail address or a chat handle. */
    fromAddress: text('from_address'),
    customerId: text('customer_id'),
    status: text('status')
      .$type<'queued' | 'offered' | 'accepted' | 'completed' | 'cancelled'>()
      .notNull()
      .default('queued'),
    agentId: text('agent_id'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    offeredAt: timestamp('offered_at', { withTimezone: true }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** How many agents let the offer lapse or declined it. */
    declines: integer('declines').notNull().default(0),
  },
  (t) => [
    index('work_items_status_idx').on(t.status, t.createdAt),
    index('work_items_agent_idx').on(t.agentId),
  ],
);

/**
 * Blocked callers (黑名单, CC-08): an exact E.164 number or a prefix, with a reason and an optional
 * expiry. Blocked calls are refused before the IVR and kept as `blocked` CDRs.
 */
export const blacklist = pgTable(
  'blacklist',
  {
    id: text('id').primaryKey(),
    /** E.164 number, or an E.164 prefix when `match` is "prefix". */
    number: text('number').notNull(),
    match: text('match').$type<'exact' | 'prefix'>().notNull().default('exact'),
    /** "reject": SIP 603 Decline; "announce": answer, play the refusal notice, hang up. */
    action: text('action').$type<'reject' | 'announce'>().notNull().default('reject'),
    reason: text('reason').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    blockedCalls: integer('blocked_calls').notNull().default(0),
    lastBlockedAt: timestamp('last_blocked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('blacklist_number_idx').on(t.number, t.match)],
);

/**
 * Audit trail (PLT-02): who did what to which record, for sensitive actions — recording playback
 * and download, supervisor interventions, blacklist, routing and telephony settings, retention.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** Null for the system itself (e.g. the retention job). */
    userId: text('user_id'),
    username: text('username'),
    action: text('action').notNull(),
    /** The record acted on, e.g. "cdr_…", "blk_…", "caller-rules". */
    target: text('target'),
    detail: jsonb('detail')
      .notNull()
      .default(sql`'{}'::jsonb`),
    ip: text('ip'),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_target_idx').on(t.target)],
);

/**
 * SIP trunks to carriers and gateways (CC-01, issue #4). IP-authenticated peers have `register`
 * false; carriers that want us registered get REGISTER with digest auth (username/password).
 * The password is a SIP secret kept for digest (ADR 0002): stored, never returned or logged.
 */
export const trunks = pgTable(
  'trunks',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    host: text('host').notNull(),
    port: integer('port').notNull().default(5060),
    transport: text('transport').$type<'udp' | 'tcp'>().notNull().default('udp'),
    register: boolean('register').notNull().default(false),
    username: text('username'),
    password: text('password'),
    /** SIP domain of the registration and of outbound Request-URIs; null: the host. */
    domain: text('domain'),
    registerExpires: integer('register_expires').notNull().default(3600),
    /** Simultaneous outbound calls; null: unlimited. */
    maxChannels: integer('max_channels'),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('trunks_name_idx').on(t.name)],
);

/**
 * Outbound routes (CC-08 dial plan): the longest matching E.164 prefix picks the trunk, then the
 * lowest priority; the route sets the carrier's dial format and the caller ID presented.
 */
export const outboundRoutes = pgTable(
  'outbound_routes',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** E.164 prefix ("+86", "+8610"), or "+" for every number. */
    prefix: text('prefix').notNull(),
    trunkId: text('trunk_id')
      .notNull()
      .references(() => trunks.id),
    priority: integer('priority').notNull().default(0),
    /** Null: keep the caller ID the call asks for (e.g. the service number); else this number. */
    callerId: text('caller_id'),
    /** Dial format: this prefix is removed from the E.164 number, then `prepend` is put in front. */
    stripPrefix: text('strip_prefix'),
    prepend: text('prepend'),
    /** Simultaneous outbound calls on this route; null: unlimited. */
    maxChannels: integer('max_channels'),
    createdAt: createdAt(),
  },
  (t) => [index('outbound_routes_prefix_idx').on(t.prefix), index('outbound_routes_trunk_idx').on(t.trunkId)],
);

/**
 * Shipments (IVR-02, issue #5): the minimal tracking data the IVR reads by voice until a logistics
 * module owns it. `status` is a code (shipment-status.ts: picked_up, in_transit, out_for_delivery,
 * delivered, exception); `expected_delivery` is the receiver's calendar date.
 */
export const shipments = pgTable(
  'shipments',
  {
    id: text('id').primaryKey(),
    waybill: text('waybill').notNull(),
    customerId: text('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    senderCity: text('sender_city').notNull(),
    receiverCity: text('receiver_city').notNull(),
    status: text('status').notNull(),
    expectedDelivery: text('expected_delivery'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('shipments_waybill_idx').on(t.waybill),
    index('shipments_customer_idx').on(t.customerId, t.updatedAt),
  ],
);

/** Tracking events of a shipment (checkpoints), newest last by `at`. */
export const shipmentEvents = pgTable(
  'shipment_events',
  {
    id: text('id').primaryKey(),
    shipmentId: text('shipment_id')
      .notNull()
      .references(() => shipments.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    city: text('city').notNull(),
    status: text('status').notNull(),
    description: text('description').notNull().default(''),
  },
  (t) => [index('shipment_events_shipment_idx').on(t.shipmentId, t.at)],
);

/**
 * Every SMS, e-mail and fax the system sends (issue #5 self-service replies), queued → sent or
 * failed with the reason, so a reply the caller never got can be found and explained.
 */
export const messages = pgTable(
  'messages',
  {
    id: text('id').primaryKey(),
    channel: text('channel').$type<'sms' | 'email' | 'fax'>().notNull(),
    /** E.164 number (SMS, fax) or e-mail address. */
    recipient: text('recipient').notNull(),
    subject: text('subject'),
    body: text('body').notNull(),
    status: text('status').$type<'queued' | 'sent' | 'failed'>().notNull().default('queued'),
    error: text('error'),
    /** The SMSC's message id or the mail server's Message-ID. */
    providerMessageId: text('provider_message_id'),
    customerId: text('customer_id'),
    callId: text('call_id'),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    index('messages_created_idx').on(t.createdAt),
    index('messages_customer_idx').on(t.customerId, t.createdAt),
  ],
);

/**
 * What happened with a customer, newest first (CRM-13): IVR self-service sessions, voicemails,
 * messages, calls. `ref_id` points at the row the entry is about (a CDR, a voicemail, a message).
 */
export const customerTimeline = pgTable(
  'customer_timeline',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    kind: text('kind')
      .$type<
        | 'ivr_session'
        | 'voicemail'
        | 'message'
        | 'call'
        | 'contact_record'
        | 'credit'
        | 'document'
        | 'opportunity'
      >()
      .notNull(),
    refId: text('ref_id'),
    title: text('title').notNull(),
    detail: jsonb('detail')
      .notNull()
      .default(sql`'{}'::jsonb`),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('customer_timeline_customer_idx').on(t.customerId, t.occurredAt)],
);

/** A caller's recorded message left in the IVR (issue #5), with the callback task it created. */
export const voicemails = pgTable(
  'voicemails',
  {
    id: text('id').primaryKey(),
    callId: text('call_id'),
    /** The caller's number as E.164 when it reads as one, else as received. */
    caller: text('caller').notNull(),
    customerId: text('customer_id'),
    /** The skill group that calls back. */
    queue: text('queue').notNull(),
    /** The WAV file, relative to the recordings directory. */
    file: text('file').notNull(),
    durationMs: integer('duration_ms').notNull().default(0),
    workItemId: text('work_item_id'),
    createdAt: createdAt(),
  },
  (t) => [index('voicemails_created_idx').on(t.createdAt), index('voicemails_customer_idx').on(t.customerId)],
);

/**
 * Organisation tree (CRM-02, issue #6): departments with a parent and a manager. A manager's
 * subordinates are the users of the departments they manage and of every department below them.
 */
export const departments = pgTable(
  'departments',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    parentId: text('parent_id'),
    managerUserId: text('manager_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('departments_parent_idx').on(t.parentId),
    index('departments_manager_idx').on(t.managerUserId),
  ],
);

/**
 * Row-level data scopes as data (CRM-02, PLT-02): per role, object and action, which records a user
 * reaches. Missing rows fall back to the defaults in src/crm/scopes/default-scopes.ts.
 */
export const roleDataScopes = pgTable(
  'role_data_scopes',
  {
    role: text('role').notNull(),
    /** "customer" (contacts follow their customer). */
    object: text('object').notNull(),
    action: text('action').$type<'view' | 'edit' | 'delete' | 'export'>().notNull(),
    scope: text('scope').$type<'none' | 'own' | 'own_and_subordinates' | 'department' | 'all'>().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('role_data_scopes_pk').on(t.role, t.object, t.action)],
);

/** E-mail addresses of a contact; `email_lower` is the matching key. */
export const contactEmails = pgTable(
  'contact_emails',
  {
    id: text('id').primaryKey(),
    contactId: text('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    emailLower: text('email_lower').notNull(),
  },
  (t) => [
    index('contact_emails_lower_idx').on(t.emailLower),
    index('contact_emails_contact_idx').on(t.contactId),
    index('contact_emails_customer_idx').on(t.customerId),
  ],
);

/** One customer import (CLI, API or UI): who ran it, with which duplicate policy, and its outcome. */
export const importBatches = pgTable(
  'import_batches',
  {
    id: text('id').primaryKey(),
    userId: text('user_id'),
    username: text('username'),
    object: text('object').notNull().default('customer'),
    fileName: text('file_name').notNull(),
    policy: text('policy').$type<'skip' | 'update' | 'create'>().notNull(),
    status: text('status').$type<'running' | 'completed' | 'failed' | 'undone'>().notNull(),
    totalRows: integer('total_rows').notNull().default(0),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    /** [{line, message}], the first 1,000. */
    errors: jsonb('errors')
      .notNull()
      .default(sql`'[]'::jsonb`),
    errorCount: integer('error_count').notNull().default(0),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    undoneAt: timestamp('undone_at', { withTimezone: true }),
    undoneBy: text('undone_by'),
  },
  (t) => [index('import_batches_created_idx').on(t.createdAt)],
);

/**
 * What a batch did to each customer: created, or updated from `previous` (the customer row with its
 * contacts, phones and e-mails as they were), so an undo restores the state before the import.
 */
export const importBatchItems = pgTable(
  'import_batch_items',
  {
    batchId: text('batch_id')
      .notNull()
      .references(() => importBatches.id, { onDelete: 'cascade' }),
    customerId: text('customer_id').notNull(),
    action: text('action').$type<'created' | 'updated'>().notNull(),
    line: integer('line').notNull(),
    previous: jsonb('previous'),
  },
  (t) => [
    index('import_batch_items_batch_idx').on(t.batchId),
    index('import_batch_items_customer_idx').on(t.customerId),
  ],
);

/**
 * Road conditions on the company's trunk routes (IVR-02), kept by staff or imported from a
 * spreadsheet and read out by the IVR: one row per segment of a route, e.g. 上海—成都, segment
 * 武汉—重庆, congested. `position` orders the segments of a route from origin to destination.
 */
export const roadConditions = pgTable(
  'road_conditions',
  {
    id: text('id').primaryKey(),
    route: text('route').notNull(),
    origin: text('origin').notNull(),
    destination: text('destination').notNull(),
    segment: text('segment').notNull(),
    position: integer('position').notNull().default(0),
    /** normal, slow, congested, closed, weather, construction. */
    status: text('status').notNull(),
    note: text('note').notNull().default(''),
    updatedAt: updatedAt(),
    /** User id; null for the demo seed and imports by the system. */
    updatedBy: text('updated_by'),
  },
  (t) => [
    index('road_conditions_destination_idx').on(t.destination, t.position),
    uniqueIndex('road_conditions_segment_idx').on(t.route, t.segment),
  ],
);

/** The company's branches (网点) by city, for staff and the IVR's branch information (IVR-02). */
export const branches = pgTable(
  'branches',
  {
    id: text('id').primaryKey(),
    city: text('city').notNull(),
    name: text('name').notNull(),
    address: text('address').notNull(),
    /** Opening hours as spoken and shown, e.g. "周一至周六 8:30-18:00". */
    hours: text('hours').notNull(),
    phone: text('phone').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('branches_city_idx').on(t.city)],
);

/**
 * Contact records (联系记录, CRM-04, issue #6): one visit, call, e-mail or meeting with a customer,
 * written by its author and reviewed once by a superior (批复). A reviewed record is frozen.
 */
export const contactRecords = pgTable(
  'contact_records',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    contactId: text('contact_id'),
    kind: text('kind').$type<'visit' | 'call' | 'email' | 'meeting' | 'other'>().notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    result: text('result').$type<'interested' | 'follow_up' | 'no_need' | 'deal' | 'other'>().notNull(),
    summary: text('summary').notNull(),
    nextStep: text('next_step'),
    nextStepDate: text('next_step_date'),
    authorUserId: text('author_user_id').notNull(),
    /** The CDR of the call the record is about, if any. */
    cdrId: text('cdr_id'),
    outingId: text('outing_id'),
    status: text('status').$type<'pending' | 'reviewed'>().notNull().default('pending'),
    reviewerUserId: text('reviewer_user_id'),
    reviewComment: text('review_comment'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('contact_records_customer_idx').on(t.customerId, t.occurredAt),
    index('contact_records_author_idx').on(t.authorUserId, t.status),
    index('contact_records_outing_idx').on(t.outingId),
  ],
);

/** Outing registration (外出登记, CRM-03): a planned visit, then departure and return. */
export const outings = pgTable(
  'outings',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /** Planned day, YYYY-MM-DD (the week view groups by it). */
    plannedDate: text('planned_date').notNull(),
    purpose: text('purpose').notNull(),
    status: text('status').$type<'planned' | 'out' | 'returned' | 'cancelled'>().notNull().default('planned'),
    departedAt: timestamp('departed_at', { withTimezone: true }),
    departLocation: text('depart_location'),
    returnedAt: timestamp('returned_at', { withTimezone: true }),
    returnLocation: text('return_location'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('outings_user_date_idx').on(t.userId, t.plannedDate),
    index('outings_customer_idx').on(t.customerId),
  ],
);

/** Per-user notifications (a reviewed contact record, a decided credit request). */
export const notifications = pgTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    refType: text('ref_type'),
    refId: text('ref_id'),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.createdAt)],
);

/** A customer's current credit (资信, CRM-10): set only by approving a credit request. */
export const customerCredit = pgTable('customer_credit', {
  customerId: text('customer_id')
    .primaryKey()
    .references(() => customers.id, { onDelete: 'cascade' }),
  rating: text('rating').$type<'A' | 'B' | 'C' | 'D'>().notNull(),
  /** Credit limit in yuan (CNY). */
  limitAmount: integer('limit_amount').notNull(),
  approvedRequestId: text('approved_request_id'),
  updatedAt: updatedAt(),
});

/** Every requested credit change with its decision: the credit history. */
export const creditRequests = pgTable(
  'credit_requests',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    rating: text('rating').$type<'A' | 'B' | 'C' | 'D'>().notNull(),
    limitAmount: integer('limit_amount').notNull(),
    previousRating: text('previous_rating'),
    previousLimit: integer('previous_limit'),
    reason: text('reason').notNull(),
    status: text('status').$type<'pending' | 'approved' | 'rejected'>().notNull().default('pending'),
    requestedBy: text('requested_by').notNull(),
    decidedBy: text('decided_by'),
    decisionComment: text('decision_comment'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('credit_requests_customer_idx').on(t.customerId, t.createdAt),
    index('credit_requests_status_idx').on(t.status),
  ],
);

/**
 * Documents under a customer (and optionally one of its opportunities), issue #6 CRM-06. Access
 * follows the customer's data scope; each upload of the same document adds a version.
 */
export const documents = pgTable(
  'documents',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /** The opportunity the document belongs to; no foreign key so documents do not depend on that module. */
    opportunityId: text('opportunity_id'),
    kind: text('kind').$type<'quote' | 'proposal' | 'contract' | 'requirement' | 'other'>().notNull(),
    title: text('title').notNull(),
    currentVersion: integer('current_version').notNull().default(1),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** Soft delete: gone from lists and downloads, the row and files kept for the audit trail. */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    index('documents_customer_idx').on(t.customerId, t.updatedAt),
    index('documents_opportunity_idx').on(t.opportunityId),
  ],
);

export const documentVersions = pgTable(
  'document_versions',
  {
    id: text('id').primaryKey(),
    documentId: text('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    fileName: text('file_name').notNull(),
    /** Sniffed from the bytes, never taken from the name or the request. */
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    /** SHA-256 of the bytes: the file's name in the content-addressed store. */
    sha256: text('sha256').notNull(),
    uploadedBy: text('uploaded_by'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('document_versions_doc_version_uq').on(t.documentId, t.version)],
);

/** Knowledge base (CRM-11): a category tree of articles and FAQ entries. */
export const kbCategories = pgTable(
  'kb_categories',
  {
    id: text('id').primaryKey(),
    parentId: text('parent_id'),
    name: text('name').notNull(),
    sort: integer('sort').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index('kb_categories_parent_idx').on(t.parentId)],
);

export const kbArticles = pgTable(
  'kb_articles',
  {
    id: text('id').primaryKey(),
    categoryId: text('category_id').references(() => kbCategories.id, { onDelete: 'set null' }),
    /** An FAQ entry keeps the question in `title` and the answer in `body`. */
    kind: text('kind').$type<'article' | 'faq'>().notNull().default('article'),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    status: text('status').$type<'draft' | 'published'>().notNull().default('draft'),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    authorUserId: text('author_user_id'),
    /**
     * Search keys computed in the application (Chinese characters and their bigrams, lower-cased
     * words): neither PGlite nor a stock Postgres segments Chinese, and array overlap on a GIN
     * index works the same on both.
     */
    titleGrams: text('title_grams')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    searchGrams: text('search_grams')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('kb_articles_search_idx').using('gin', t.searchGrams),
    index('kb_articles_category_idx').on(t.categoryId),
  ],
);

/**
 * Opportunity pipeline stages (机会管理, CRM-05), configured by admins. `requiredFields` names the
 * opportunity fields that must be filled before a deal may enter the stage; `outcome` marks the
 * closing stages (won / lost), which also demand a reason.
 */
export const opportunityStages = pgTable('opportunity_stages', {
  id: text('id').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  sort: integer('sort').notNull().default(0),
  /** Default win probability in percent for deals entering the stage. */
  probability: integer('probability').notNull().default(0),
  requiredFields: text('required_fields')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  outcome: text('outcome').$type<'open' | 'won' | 'lost'>().notNull().default('open'),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
});

/** Configurable reasons offered when a deal is won or lost. */
export const opportunityReasons = pgTable('opportunity_reasons', {
  id: text('id').primaryKey(),
  outcome: text('outcome').$type<'won' | 'lost'>().notNull(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  sort: integer('sort').notNull().default(0),
  active: boolean('active').notNull().default(true),
});

export const opportunities = pgTable(
  'opportunities',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    ownerUserId: text('owner_user_id').notNull(),
    stageId: text('stage_id')
      .notNull()
      .references(() => opportunityStages.id),
    /** Expected revenue in yuan. */
    amount: integer('amount'),
    currency: text('currency').notNull().default('CNY'),
    expectedCloseDate: text('expected_close_date'),
    probability: integer('probability').notNull().default(0),
    /** Assessment scores 1–5 by criterion (budget, authority, need, timing). */
    scores: jsonb('scores')
      .$type<Record<string, number>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    source: text('source'),
    status: text('status').$type<'open' | 'won' | 'lost'>().notNull().default('open'),
    reasonId: text('reason_id'),
    reasonNote: text('reason_note'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    index('opportunities_owner_idx').on(t.ownerUserId, t.stageId),
    index('opportunities_customer_idx').on(t.customerId),
  ],
);

/** Who moved a deal from which stage to which, and when. */
export const opportunityStageHistory = pgTable(
  'opportunity_stage_history',
  {
    id: text('id').primaryKey(),
    opportunityId: text('opportunity_id')
      .notNull()
      .references(() => opportunities.id, { onDelete: 'cascade' }),
    fromStageId: text('from_stage_id'),
    toStageId: text('to_stage_id').notNull(),
    movedBy: text('moved_by'),
    movedAt: timestamp('moved_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('opportunity_stage_history_opp_idx').on(t.opportunityId, t.movedAt),
    index('opportunity_stage_history_mover_idx').on(t.movedBy, t.movedAt),
  ],
);

/**
 * Employee center (CRM-08): weekly plans, weekly summaries and suggestions, submitted to the
 * author's department manager, who reads and comments.
 */
export const employeeReports = pgTable(
  'employee_reports',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    kind: text('kind').$type<'plan' | 'summary' | 'suggestion'>().notNull(),
    /** Monday of the week the plan or summary is for, YYYY-MM-DD. */
    weekStart: text('week_start').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('employee_reports_user_idx').on(t.userId, t.weekStart)],
);

export const employeeReportComments = pgTable(
  'employee_report_comments',
  {
    id: text('id').primaryKey(),
    reportId: text('report_id')
      .notNull()
      .references(() => employeeReports.id, { onDelete: 'cascade' }),
    authorUserId: text('author_user_id').notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('employee_report_comments_report_idx').on(t.reportId, t.createdAt)],
);
