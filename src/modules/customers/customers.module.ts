import { Module } from '@nestjs/common';
import { NotificationsModule } from 'src/modules/notifications/notifications.module';
import { OrgModule } from 'src/modules/org/org.module';
import { CustomersRepository } from './repositories/customers.repository';
import { NotesRepository } from './repositories/notes.repository';
import { RelationsRepository } from './repositories/relations.repository';
import { LostCustomersRepository } from './repositories/lost-customers.repository';
import { TagsRepository } from './repositories/tags.repository';
import { TimelineRepository } from './repositories/timeline.repository';
import {
  CustomerConnectionResolver,
  CustomerRelationResolver,
  CustomersResolver,
} from './resolvers/customers.resolver';
import { CustomerNotesFieldResolver, NotesResolver, TimelineEventResolver } from './resolvers/notes.resolver';
import { LostCustomerNoteResolver, LostCustomersResolver } from './resolvers/lost-customers.resolver';
import { TagGroupsResolver, TagResolver } from './resolvers/tags.resolver';
import { CustomersService } from './services/customers.service';
import { NotesService } from './services/notes.service';
import { LostCustomersService } from './services/lost-customers.service';
import { TagsService } from './services/tags.service';
import { TimelineService } from './services/timeline.service';

/**
 * The customer book: customers, relations, tags, notes and the 360 timeline.
 * Other modules use CustomersService (capacity, relations, visibility) and
 * TimelineService (recording what happened to a customer).
 */
@Module({
  imports: [OrgModule, NotificationsModule],
  providers: [
    CustomersRepository,
    RelationsRepository,
    TagsRepository,
    NotesRepository,
    TimelineRepository,
    LostCustomersRepository,
    CustomersService,
    LostCustomersService,
    TagsService,
    NotesService,
    TimelineService,
    CustomersResolver,
    CustomerRelationResolver,
    CustomerConnectionResolver,
    TagGroupsResolver,
    TagResolver,
    NotesResolver,
    CustomerNotesFieldResolver,
    TimelineEventResolver,
    LostCustomersResolver,
    LostCustomerNoteResolver,
  ],
  exports: [CustomersService, TimelineService, TagsService],
})
export class CustomersModule {}
