// The outcome of the contact. The fields follow the chosen disposition's
// effect: an upgrade asks the new amount and from when; a conversion the
// amount, frequency, IBAN (checked as typed, mod 97, in the browser) and the
// signature consent; a callback the date and time and whether it is for this
// operator or anyone; "do not call" asks for confirmation. The details go in
// the body's `details` (POST …/disposition `{ code, notes?, details? }`,
// DispositionDetails in operators.schemas.ts).
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Group,
  Kbd,
  NumberInput,
  Radio,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, type Ref, useEffect, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { type MessageKey, useI18n } from '../i18n.ts';
import { checkIban, formatIban, normalizeIban } from './iban.ts';
import { valueLabel } from './ScreenPop.tsx';

export type DispositionInfo = { code: string; labelIt: string; labelEn: string; effect: string };

export function useDispositions(orgId: string | null) {
  const [items, setItems] = useState<DispositionInfo[]>([]);
  useEffect(() => {
    if (!orgId) return;
    const controller = new AbortController();
    api<{ items: DispositionInfo[] }>('GET', `/api/organizations/${orgId}/dispositions`, undefined, {
      signal: controller.signal,
    })
      .then((page) => setItems(page.items))
      .catch(() => undefined);
    return () => controller.abort();
  }, [orgId]);
  return items;
}

const FREQUENCIES = ['monthly', 'bimonthly', 'quarterly', 'semiannual', 'annual'] as const;

const today = () => new Date().toLocaleDateString('en-CA');

const frequencyKey = (frequency: string): MessageKey =>
  (FREQUENCIES as readonly string[]).includes(frequency)
    ? (`op.frequency.${frequency}` as MessageKey)
    : 'op.frequency.monthly';

export function DispositionForm({
  interactionId,
  codes,
  dispositions,
  commitments,
  selectRef,
  onDone,
}: {
  interactionId: string;
  codes: string[];
  dispositions: DispositionInfo[];
  /** The supporter's regular gifts (the card's): an upgrade or a recapture names one. */
  commitments: { id: string; amountCents: number; currency: string; frequency: string; status: string }[];
  selectRef?: Ref<HTMLInputElement>;
  onDone: () => void;
}) {
  const { t, language, formatNumber } = useI18n();
  const [code, setCode] = useState<string | null>(null);
  const [notes, setNotes] = useState('');
  const [amount, setAmount] = useState<number | string>('');
  const [effectiveDate, setEffectiveDate] = useState(today());
  const [frequency, setFrequency] = useState<string>('monthly');
  const [iban, setIban] = useState('');
  const [signature, setSignature] = useState(false);
  const [callbackAt, setCallbackAt] = useState('');
  const [callbackFor, setCallbackFor] = useState<'me' | 'anyone'>('me');
  const [dncConfirmed, setDncConfirmed] = useState(false);
  const [commitmentId, setCommitmentId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const byCode = new Map(dispositions.map((d) => [d.code, d]));
  const effect = code ? (byCode.get(code)?.effect ?? 'none') : 'none';
  const label = (c: string) => {
    const d = byCode.get(c);
    return d ? (language === 'it' ? d.labelIt : d.labelEn) : c;
  };
  const ibanState = checkIban(iban);
  const needsCommitment = effect === 'upgrade_accepted' || effect === 'recapture_accepted';
  // The usual one by default: the active gift for an upgrade, a stopped one for a recapture.
  const preferred =
    effect === 'upgrade_accepted'
      ? commitments.find((c) => c.status === 'active')
      : commitments.find((c) => c.status !== 'active');
  const chosenCommitment =
    commitments.find((c) => c.id === commitmentId) ??
    (needsCommitment ? (preferred ?? commitments[0]) : undefined);
  const money = (cents: number, currency: string) =>
    formatNumber(cents / 100, { style: 'currency', currency });
  const amountOk = typeof amount === 'number' && amount > 0;

  const valid =
    code !== null &&
    (!needsCommitment || chosenCommitment !== undefined) &&
    (effect !== 'upgrade_accepted' || (amountOk && effectiveDate !== '')) &&
    (effect !== 'conversion_accepted' || (amountOk && ibanState === 'valid' && signature)) &&
    (effect !== 'call_back' || callbackAt !== '') &&
    (effect !== 'do_not_call' || dncConfirmed);

  function details(): Record<string, unknown> | undefined {
    const cents = typeof amount === 'number' ? Math.round(amount * 100) : 0;
    if (effect === 'upgrade_accepted')
      return { commitmentId: chosenCommitment?.id, newAmountCents: cents, effectiveDate };
    if (effect === 'recapture_accepted')
      return {
        commitmentId: chosenCommitment?.id,
        ...(amountOk ? { amountCents: cents } : {}),
        ...(effectiveDate ? { effectiveDate } : {}),
      };
    if (effect === 'conversion_accepted')
      return {
        amountCents: cents,
        frequency,
        iban: normalizeIban(iban),
        // The consent is given on the recorded call: the interaction is its evidence.
        signatureConsent: { recorded: signature, evidence: `interaction:${interactionId}` },
      };
    if (effect === 'call_back') return { at: new Date(callbackAt).toISOString(), owner: callbackFor };
    return undefined;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!valid || !code) return;
    setBusy(true);
    setError(null);
    try {
      const extra = details();
      await api('POST', `/api/operator/interactions/${interactionId}/disposition`, {
        code,
        ...(notes.trim() ? { notes: notes.trim() } : {}),
        ...(extra ? { details: extra } : {}),
      });
      onDone();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : t('error.generic'));
    } finally {
      setBusy(false);
    }
  }

  const ibanMessage: Record<Exclude<typeof ibanState, 'valid' | 'empty'>, MessageKey> = {
    country: 'op.iban.country',
    length: 'op.iban.length',
    characters: 'op.iban.characters',
    structure: 'op.iban.structure',
    checksum: 'op.iban.checksum',
  };

  return (
    <Card withBorder component="form" onSubmit={submit} aria-labelledby="disposition-title">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="disposition-title">
          {t('op.disposition.title')}
        </Title>
        <Text size="xs" c="dimmed">
          <Kbd>D</Kbd> {t('op.shortcut.disposition')}
        </Text>
      </Group>
      <Stack gap="sm">
        <Select
          ref={selectRef}
          label={t('op.disposition.code')}
          placeholder={t('op.disposition.choose')}
          data={codes.map((c) => ({ value: c, label: label(c) }))}
          value={code}
          onChange={setCode}
          searchable
          required
          data-testid="disposition-code"
        />
        {needsCommitment && (
          <Select
            label={t('op.disposition.commitment')}
            data={commitments.map((c) => ({
              value: c.id,
              label: `${money(c.amountCents, c.currency)} · ${t(frequencyKey(c.frequency))} · ${valueLabel(t, c.status)}`,
            }))}
            value={chosenCommitment?.id ?? null}
            onChange={setCommitmentId}
            allowDeselect={false}
            required
            error={commitments.length === 0 ? t('op.disposition.noCommitment') : undefined}
          />
        )}
        {(effect === 'upgrade_accepted' || effect === 'recapture_accepted') && (
          <Group grow align="flex-start">
            <NumberInput
              label={
                effect === 'upgrade_accepted'
                  ? t('op.disposition.newAmount')
                  : t('op.disposition.newAmountOptional')
              }
              description={
                chosenCommitment
                  ? `${t('op.disposition.currentAmount')} ${money(chosenCommitment.amountCents, chosenCommitment.currency)}`
                  : undefined
              }
              min={0.01}
              decimalScale={2}
              suffix=" €"
              value={amount}
              onChange={setAmount}
              required={effect === 'upgrade_accepted'}
            />
            <TextInput
              type="date"
              label={t('op.disposition.effectiveDate')}
              value={effectiveDate}
              min={today()}
              onChange={(e) => setEffectiveDate(e.currentTarget.value)}
              required={effect === 'upgrade_accepted'}
            />
          </Group>
        )}
        {effect === 'conversion_accepted' && (
          <>
            <Group grow align="flex-start">
              <NumberInput
                label={t('op.disposition.amount')}
                min={0.01}
                decimalScale={2}
                suffix=" €"
                value={amount}
                onChange={setAmount}
                required
              />
              <Select
                label={t('op.disposition.frequency')}
                data={FREQUENCIES.map((f) => ({ value: f, label: t(`op.frequency.${f}`) }))}
                value={frequency}
                onChange={(value) => setFrequency(value ?? 'monthly')}
                allowDeselect={false}
              />
            </Group>
            <TextInput
              label="IBAN"
              value={formatIban(iban)}
              onChange={(e) => setIban(e.currentTarget.value)}
              autoComplete="off"
              spellCheck={false}
              required
              error={ibanState === 'valid' || ibanState === 'empty' ? undefined : t(ibanMessage[ibanState])}
              description={ibanState === 'valid' ? t('op.iban.valid') : t('op.iban.hint')}
              data-testid="iban-input"
            />
            <Checkbox
              label={t('op.disposition.signatureConsent')}
              checked={signature}
              onChange={(e) => setSignature(e.currentTarget.checked)}
            />
          </>
        )}
        {effect === 'call_back' && (
          <Group grow align="flex-start">
            <TextInput
              type="datetime-local"
              label={t('op.disposition.callbackAt')}
              value={callbackAt}
              onChange={(e) => setCallbackAt(e.currentTarget.value)}
              required
            />
            <Radio.Group
              label={t('op.disposition.callbackFor')}
              value={callbackFor}
              onChange={(value) => setCallbackFor(value === 'anyone' ? 'anyone' : 'me')}
            >
              <Group mt={6}>
                <Radio value="me" label={t('op.disposition.callbackMe')} />
                <Radio value="anyone" label={t('op.disposition.callbackAnyone')} />
              </Group>
            </Radio.Group>
          </Group>
        )}
        {effect === 'do_not_call' && (
          <Checkbox
            label={t('op.disposition.dncConfirm')}
            checked={dncConfirmed}
            onChange={(e) => setDncConfirmed(e.currentTarget.checked)}
          />
        )}
        <Textarea
          label={t('op.disposition.notes')}
          value={notes}
          onChange={(e) => setNotes(e.currentTarget.value)}
          autosize
          minRows={2}
          maxRows={5}
        />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Button type="submit" disabled={!valid} loading={busy}>
          {t('op.disposition.save')}
        </Button>
      </Stack>
    </Card>
  );
}
