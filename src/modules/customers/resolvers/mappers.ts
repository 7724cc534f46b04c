import { CustomerNoteEntity } from 'src/modules/customers/entities/customer-note.entity';
import { CustomerRelationEntity } from 'src/modules/customers/entities/customer-relation.entity';
import { TagEntity, TagGroupEntity } from 'src/modules/customers/entities/tag.entity';
import { TimelineEventEntity } from 'src/modules/customers/entities/timeline-event.entity';
import type { CustomerRow } from 'src/modules/customers/repositories/customers.repository';
import {
  AddWay,
  Customer,
  CustomerNote,
  CustomerRelation,
  CustomerStage,
  NoteKind,
  RelationStatus,
  Tag,
  TagGroup,
  TimelineEvent,
} from 'src/modules/customers/types/customer.types';

export const toCustomer = (c: CustomerRow): Customer => ({
  id: c.id,
  orgId: c.orgId,
  externalId: c.externalId,
  name: c.name,
  company: c.company,
  phone: c.phone,
  stage: c.stage as CustomerStage,
  lastContactAt: c.lastContactAt ? new Date(c.lastContactAt) : null,
  createdAt: new Date(c.createdAt),
  updatedAt: new Date(c.updatedAt),
  activeEmployeeIds: c.activeEmployeeIds,
});

export const toRelation = (r: CustomerRelationEntity): CustomerRelation => ({
  id: r.id,
  orgId: r.orgId,
  customerId: r.customerId,
  employeeId: r.employeeId,
  status: r.status as RelationStatus,
  addWay: r.addWay as AddWay,
  state: r.state,
  remark: r.remark,
  addedAt: new Date(r.addedAt),
  endedAt: r.endedAt ? new Date(r.endedAt) : null,
});

export const toTag = (t: TagEntity): Tag => ({ id: t.id, orgId: t.orgId, groupId: t.groupId, name: t.name });
export const toTagGroup = (g: TagGroupEntity): TagGroup => ({ id: g.id, orgId: g.orgId, name: g.name });

export const toNote = (n: CustomerNoteEntity): CustomerNote => ({
  id: n.id,
  orgId: n.orgId,
  customerId: n.customerId,
  authorId: n.authorId,
  kind: n.kind as NoteKind,
  body: n.body,
  dueAt: n.dueAt ? new Date(n.dueAt) : null,
  doneAt: n.doneAt ? new Date(n.doneAt) : null,
  createdAt: new Date(n.createdAt),
});

export const toTimelineEvent = (e: TimelineEventEntity): TimelineEvent => ({
  id: e.id,
  orgId: e.orgId,
  customerId: e.customerId,
  type: e.type,
  occurredAt: new Date(e.occurredAt),
  employeeId: e.employeeId,
  summary: e.summary,
  data: e.data,
});
