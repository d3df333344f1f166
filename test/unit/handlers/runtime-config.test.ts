import { configFromEnvironment } from '../../../functions/common/runtime';
import { defaultConfig } from '../../../shared/config/defaults';

describe('configFromEnvironment', () => {
  it('reads the configuration baked in at synth', () => {
    const baked = JSON.stringify({ ...defaultConfig, stage: 'prod' });
    expect(configFromEnvironment({ MM_CONFIG: baked })).toEqual({ ...defaultConfig, stage: 'prod' });
  });

  it('refuses to start without one, and says how to build the bundle', () => {
    expect(() => configFromEnvironment({})).toThrow(/MM_CONFIG is not set: .*cdk synth/);
  });
});
