import { INestApplication } from '@nestjs/common';

/** Placeholder until the demo seed lands. */
export async function seedDemoOnFirstStart(_app: INestApplication, _url: string): Promise<void> {
  return;
}
