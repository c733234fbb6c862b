import { describe, expect, it } from 'vitest';
import { auditChanges, showValue } from './audit-changes.ts';

describe('auditChanges', () => {
  it('lists only the fields that changed, without timestamps', () => {
    const old = { id: 1, label: 'Tasks', active: true, updatedAt: 'a' };
    const next = { id: 1, label: 'Earn', active: true, updatedAt: 'b' };
    expect(auditChanges(old, next)).toEqual([{ field: 'label', old: 'Tasks', new: 'Earn' }]);
  });

  it('compares nested values by content and sees added fields', () => {
    expect(auditChanges({ steps: [{ a: 1 }] }, { steps: [{ a: 1 }], extra: 2 })).toEqual([
      { field: 'extra', old: undefined, new: 2 },
    ]);
  });

  it('gives up on anything but two objects', () => {
    expect(auditChanges(null, { id: 1 })).toBeNull();
    expect(auditChanges({ id: 1 }, 'x')).toBeNull();
  });

  it('shows values as short JSON', () => {
    expect(showValue(null)).toBe('—');
    expect(showValue('a')).toBe('"a"');
    expect(showValue('x'.repeat(100))).toHaveLength(78);
  });
});
