import { Module, OnModuleInit } from '@nestjs/common';
import { CustomersModule } from 'src/modules/customers/customers.module';
import { CustomersService } from 'src/modules/customers/services/customers.service';
import { OrgModule } from 'src/modules/org/org.module';
import { ChannelsRepository } from './repositories/channels.repository';
import { ChannelsResolver } from './resolvers/channels.resolver';
import { ChannelsService } from './services/channels.service';

/**
 * Channels (WeCom "contact me" codes): a named state with its employees, tags
 * and welcome message. New relations carrying a live channel's state are
 * tagged and greeted through CustomersService's relation hook.
 */
@Module({
  imports: [OrgModule, CustomersModule],
  providers: [
    ChannelsRepository,
    ChannelsService,
    ChannelsResolver,
  ],
  exports: [ChannelsService],
})
export class ChannelsModule implements OnModuleInit {
  constructor(
    private readonly customers: CustomersService,
    private readonly channels: ChannelsService,
  ) {}

  onModuleInit(): void {
    this.customers.onRelationAdded((tx, relation) => this.channels.attribute(tx, relation));
  }
}
