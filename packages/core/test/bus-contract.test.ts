import { testRedis } from '../../../test-support/index.ts';
import { LocalMessageBus, RedisMessageBus } from '../src/index.ts';
import { registerMessageBusContract } from '../src/testing/index.ts';

registerMessageBusContract('LocalMessageBus', async () => ({ bus: new LocalMessageBus() }));

registerMessageBusContract('RedisMessageBus', async () => {
  const redis = await testRedis();
  const bus = new RedisMessageBus(redis, { channelPrefix: `${Date.now()}:contract:` });
  return {
    bus,
    settled: () => bus.settled(),
    cleanup: async () => {
      redis.disconnect();
    },
  };
});
