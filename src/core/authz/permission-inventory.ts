import { INestApplicationContext } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { describeRequirement, PERMISSION_KEY, PermissionRequirement } from './permission.decorator';

const RESOLVER_TYPE = 'graphql:resolver_type';
const RESOLVER_NAME = 'graphql:resolver_name';
const ROOTS = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * Every root field served, with the permission it declares
 * (`Query.customers -> customer:read`). A test snapshots it so a new field
 * without a declared permission fails the build.
 */
export function rootFieldPermissions(app: INestApplicationContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.providers.values()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const proto = Object.getPrototypeOf(instance);
      for (const key of Object.getOwnPropertyNames(proto)) {
        if (key === 'constructor') continue;
        const method = Object.getOwnPropertyDescriptor(proto, key)?.value;
        if (typeof method !== 'function') continue;
        const type = Reflect.getMetadata(RESOLVER_TYPE, method) as string | undefined;
        if (!type || !ROOTS.has(type)) continue;
        const name = (Reflect.getMetadata(RESOLVER_NAME, method) as string | undefined) ?? key;
        const req =
          (Reflect.getMetadata(PERMISSION_KEY, method) as PermissionRequirement | undefined) ??
          (Reflect.getMetadata(PERMISSION_KEY, proto.constructor) as PermissionRequirement | undefined);
        out[`${type}.${name}`] = describeRequirement(req);
      }
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
