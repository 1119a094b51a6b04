/** The senders a deployment configured: SES when an email identity is set, the SMS panel when its URL is. */
import type { NotifyConfig } from '../config';
import { secretValue } from '../secret-value';
import { HttpSmsSender, SesEmailSender, type Channel, type MessageSender } from './senders';

function smsApiKey(config: NotifyConfig): () => Promise<string> {
  return async () => {
    if (config.smsApiKey) return config.smsApiKey;
    if (!config.smsApiKeySecretArn) throw new Error('no SMS API key configured');
    return (await secretValue(config.smsApiKeySecretArn, 'SMS API key')).trim();
  };
}

export function configuredSenders(config: NotifyConfig | undefined): Partial<Record<Channel, MessageSender>> {
  const senders: Partial<Record<Channel, MessageSender>> = {};
  if (config?.emailFrom) senders.email = new SesEmailSender(config.emailFrom);
  if (config?.smsUrl) senders.sms = new HttpSmsSender({ url: config.smsUrl, apiKey: smsApiKey(config), sender: config.smsSender });
  return senders;
}
