import { describe, expect, it } from 'vitest';
import { useConfirm } from './confirm';

describe('confirmation questions', () => {
  it('asks one at a time, in order, and resolves each with its own answer', async () => {
    const s = useConfirm.getState();
    const remove = s.ask({ title: 'Remove demo?', message: 'm', confirmLabel: 'Remove', danger: true });
    const discard = s.ask({ title: 'Discard changes?', message: 'm', confirmLabel: 'Discard changes' });
    await Promise.resolve();
    expect(useConfirm.getState().request?.title).toBe('Remove demo?');
    useConfirm.getState().answer(false);
    expect(await remove).toBe(false);
    await new Promise((r) => setTimeout(r, 0));
    expect(useConfirm.getState().request?.title).toBe('Discard changes?');
    useConfirm.getState().answer(true);
    expect(await discard).toBe(true);
    expect(useConfirm.getState().request).toBeUndefined();
  });
});
