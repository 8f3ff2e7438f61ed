// The checks a whole domain name must pass, after CreateDomainName as after UpdateDomainName, so
// that a patch can never store what a create would refuse; and the base path rules.
import { compilePolicy } from '../../data-plane/auth/policy.js';
import { badRequest } from '../protocol/errors.js';
import type { DomainNameData } from './entity.js';

// Labels of letters, digits and hyphens (not at either end), an optional leading `*.` wildcard.
const DOMAIN_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;
const TRUSTSTORE_URI = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/;
const LEGACY_POLICIES = ['TLS_1_0', 'TLS_1_2'];

export function checkDomainNameText(domainName: string): void {
  if (domainName === '') throw badRequest('No Domain Name specified');
  if (domainName.length > 253 || !DOMAIN_NAME.test(domainName)) throw badRequest(`Invalid domain name specified: ${domainName}`);
}

function checkCertificateArn(arn: string | undefined): void {
  if (arn !== undefined && !CERTIFICATE_ARN.test(arn)) throw badRequest(`Invalid certificate ARN specified: ${arn}`);
}

/** Endpoint type, certificates, security policy, mutual TLS and policy must agree with each other. */
export function checkDomainName(data: DomainNameData): void {
  const types = data.endpointConfiguration?.types ?? ['EDGE'];
  if (types.length !== 1) throw badRequest('Exactly one endpoint type must be specified for a domain name.');
  const type = types[0]!;
  if (data.endpointConfiguration?.ipAddressType === 'ipv4' && type === 'PRIVATE') throw badRequest('Only dualstack ipAddressType is supported for Private domain names.');
  checkCertificateArn(data.certificateArn);
  checkCertificateArn(data.regionalCertificateArn);
  if (type === 'REGIONAL') {
    if (data.certificateArn !== undefined || data.certificateName !== undefined) throw badRequest('Edge certificates are not supported for a regional domain name. Use regionalCertificateArn.');
    if (data.regionalCertificateArn === undefined) throw badRequest('A regional certificate ARN must be specified for a regional domain name.');
  } else {
    if (data.regionalCertificateArn !== undefined || data.regionalCertificateName !== undefined) {
      throw badRequest(`Regional certificates are not supported for a${type === 'EDGE' ? 'n edge-optimized' : ' private'} domain name. Use certificateArn.`);
    }
    if (data.certificateArn === undefined && data.certificateName === undefined) throw badRequest('A certificate ARN must be specified for the domain name.');
  }
  const policy = data.securityPolicy;
  if (policy !== undefined && type === 'PRIVATE' && policy !== 'TLS_1_2') throw badRequest('Private domain names only support the TLS_1_2 security policy.');
  if (policy !== undefined && !LEGACY_POLICIES.includes(policy) && (type === 'EDGE') !== policy.endsWith('_EDGE')) {
    throw badRequest(`Security policy ${policy} is not supported for ${type} domain names.`);
  }
  if (data.mutualTlsAuthentication) {
    if (type !== 'REGIONAL') throw badRequest('Mutual TLS authentication is only supported for regional domain names.');
    if (policy === 'TLS_1_0') throw badRequest('Mutual TLS authentication requires the TLS_1_2 security policy.');
    if (!TRUSTSTORE_URI.test(data.mutualTlsAuthentication.truststoreUri ?? '')) throw badRequest('Truststore URI must be an S3 URI of the form s3://bucket-name/key-name.');
  }
  if (data.policy !== undefined) {
    if (type !== 'PRIVATE') throw badRequest('A policy can only be set on a private domain name.');
    checkPolicyDocument(data.policy);
  }
  if (data.managementPolicy !== undefined) {
    if (type !== 'PRIVATE') throw badRequest('A management policy can only be set on a private domain name.');
    checkPolicyDocument(data.managementPolicy);
  }
}

function checkPolicyDocument(document: string): void {
  try {
    compilePolicy(JSON.parse(document));
  } catch {
    throw badRequest('Invalid policy document. Please check the policy syntax and try again.');
  }
}

// API Gateway's base path characters, one segment each.
const BASE_PATH_SEGMENT = /^[A-Za-z0-9$\-_.+!*'()]+$/;

/** `(none)`, absent or empty is the empty base path; multi-level paths only where `multiLevel` holds. */
export function normalizeBasePath(basePath: string | undefined, multiLevel: boolean): string {
  if (basePath === undefined || basePath === '' || basePath === '(none)') return '';
  const trimmed = basePath.replace(/^\/+|\/+$/g, '');
  const segments = trimmed.split('/');
  if (segments.length > 1 && !multiLevel) {
    throw badRequest("API Gateway V1 doesn't support the slash character (/) in base path mappings. To create a multi-level base path mapping, use API Gateway V2.");
  }
  if (trimmed === '' || segments.some((s) => !BASE_PATH_SEGMENT.test(s))) throw badRequest(`Invalid base path specified: ${basePath}`);
  return trimmed;
}
