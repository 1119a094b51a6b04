/** The senders a deployment configured: SES when an email identity is set, the SMS panel when its URL is. */
import type { NotifyConfig } from '../config';
import { HttpSmsSender, SesEmailSender, type Channel, type MessageSender } from './senders';

let cachedKey: Promise<string> | undefined;

function smsApiKey(config: NotifyConfig): () => Promise<string> {
  return () => {
    if (config.smsApiKey) return Promise.resolve(config.smsApiKey);
    if (!config.smsApiKeySecretArn) return Promise.reject(new Error('no SMS API key configured'));
    cachedKey ??= (async () => {
      const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
      const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: config.smsApiKeySecretArn }));
      if (!out.SecretString) throw new Error('the SMS API key secret is empty');
      return out.SecretString.trim();
    })();
    cachedKey.catch(() => {
      cachedKey = undefined;
    });
    return cachedKey;
  };
}

export function configuredSenders(config: NotifyConfig | undefined): Partial<Record<Channel, MessageSender>> {
  const senders: Partial<Record<Channel, MessageSender>> = {};
  if (config?.emailFrom) senders.email = new SesEmailSender(config.emailFrom);
  if (config?.smsUrl) senders.sms = new HttpSmsSender({ url: config.smsUrl, apiKey: smsApiKey(config), sender: config.smsSender });
  return senders;
}
