// Quota periods both planes share: a DAY is a UTC day, a WEEK starts on Sunday + offset, a MONTH on
// day 1 + offset.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { nextQuotaPeriodStart, quotaPeriodStart } from '../../src/shared/quota.js';

it('starts a DAY period on the day itself', () => {
  assert.equal(quotaPeriodStart({ period: 'DAY', offset: 0 }, '2024-03-31'), '2024-03-31');
  assert.equal(nextQuotaPeriodStart({ period: 'DAY', offset: 0 }, '2024-03-31'), '2024-04-01');
});

it('starts a WEEK period on Sunday plus the offset', () => {
  // 2024-04-03 is a Wednesday.
  assert.equal(quotaPeriodStart({ period: 'WEEK', offset: 0 }, '2024-04-03'), '2024-03-31');
  assert.equal(quotaPeriodStart({ period: 'WEEK', offset: 1 }, '2024-04-03'), '2024-04-01');
  assert.equal(quotaPeriodStart({ period: 'WEEK', offset: 3 }, '2024-04-03'), '2024-04-03');
  assert.equal(quotaPeriodStart({ period: 'WEEK', offset: 4 }, '2024-04-03'), '2024-03-28');
  assert.equal(nextQuotaPeriodStart({ period: 'WEEK', offset: 4 }, '2024-03-28'), '2024-04-04');
});

it('starts a MONTH period on day one plus the offset, across years', () => {
  assert.equal(quotaPeriodStart({ period: 'MONTH', offset: 0 }, '2024-02-29'), '2024-02-01');
  assert.equal(quotaPeriodStart({ period: 'MONTH', offset: 14 }, '2024-01-10'), '2023-12-15');
  assert.equal(quotaPeriodStart({ period: 'MONTH', offset: 14 }, '2024-01-15'), '2024-01-15');
  assert.equal(nextQuotaPeriodStart({ period: 'MONTH', offset: 14 }, '2023-12-15'), '2024-01-15');
});
