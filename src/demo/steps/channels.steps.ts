import { CreateChannelInput } from 'src/modules/channels/dto/channel.inputs';
import { ChannelsService } from 'src/modules/channels/services/channels.service';
import { CreateTagGroupInput } from 'src/modules/customers/dto/customer.inputs';
import { TagsService } from 'src/modules/customers/services/tags.service';
import { DEMO_CHANNELS, DEMO_TAG_GROUPS, tagKey } from 'src/demo/crm-data';
import { SeedStep } from 'src/demo/seed-context';

/** The tag groups (skin type, interest, tier, source); tags recorded as `tag:<group>/<tag>`. */
export const tagGroupsStep: SeedStep = {
  name: 'tag-groups',
  async run(ctx) {
    const tags = ctx.get(TagsService);
    for (const g of DEMO_TAG_GROUPS) {
      const group = await tags.createGroup(
        ctx.admin,
        ctx.input(CreateTagGroupInput, { name: g.name, tagNames: g.tags.map((t) => t.name) }),
      );
      ctx.ids.set(`tag-group:${g.key}`, group.id);
      const created = await tags.tagsOfGroups(ctx.orgId, [group.id]);
      for (const t of g.tags) {
        const found = created.find((x) => x.name === t.name);
        if (!found) throw new Error(`tag ${t.name} of group ${g.name} was not created`);
        ctx.ids.set(tagKey(`${g.key}/${t.key}`), found.id);
      }
    }
    ctx.log(`${DEMO_TAG_GROUPS.length} tag groups, ${DEMO_TAG_GROUPS.reduce((a, g) => a + g.tags.length, 0)} tags`);
  },
};

/** WeCom "contact me" codes of the stores and campaigns, with their reps, tags and welcome messages. */
export const channelsStep: SeedStep = {
  name: 'channels',
  async run(ctx) {
    const channels = ctx.get(ChannelsService);
    for (const c of DEMO_CHANNELS) {
      const created = await channels.create(
        ctx.admin,
        ctx.input(CreateChannelInput, {
          name: c.name,
          state: c.state,
          employeeIds: c.employees.map((e) => ctx.ids.get(`emp:${e}`)),
          tagIds: c.tags.map((t) => ctx.ids.get(tagKey(t))),
          welcomeMessage: c.welcomeMessage,
        }),
      );
      ctx.ids.set(`channel:${c.state}`, created.id);
    }
    ctx.log(`${DEMO_CHANNELS.length} channels`);
  },
};
