// The AWS regions meshlift supports: those whose Network Load Balancer alias zone it knows (Route 53 cutover needs it).

/**
 * Canonical hosted zone ids of Network Load Balancers per commercial region (the alias target zone of
 * an NLB's DNS name). Source: AWS "Elastic Load Balancing endpoints and quotas"; the same table the
 * Terraform AWS provider's `aws_lb_hosted_zone_id` data source carries.
 */
export const NLB_HOSTED_ZONE_IDS: Readonly<Record<string, string>> = {
  "af-south-1": "Z203XCE67M25HM",
  "ap-east-1": "Z12Y7K3UBGUAD1",
  "ap-northeast-1": "Z31USIVHYNEOWT",
  "ap-northeast-2": "ZIBE1TIR4HY56",
  "ap-northeast-3": "Z1GWIQ4HH19I5X",
  "ap-south-1": "ZVDDRBQ08TROA",
  "ap-south-2": "Z0711778386UTO08407HT",
  "ap-southeast-1": "ZKVM4W9LS7TM",
  "ap-southeast-2": "ZCT6FZBF4DROD",
  "ap-southeast-3": "Z01971771FYVNCOVWJU1G",
  "ap-southeast-4": "Z01156963G8MIIL7X90IV",
  "ap-southeast-5": "Z026317210H9ACVTRO6FB",
  "ap-southeast-7": "Z054363131YWATEMWRG5L",
  "ca-central-1": "Z2EPGBW3API2WT",
  "ca-west-1": "Z02754302KBB00W2LKWZ9",
  "eu-central-1": "Z3F0SRJ5LGBH90",
  "eu-central-2": "Z02239872DOALSIDCX66S",
  "eu-north-1": "Z1UDT6IFJ4EJM",
  "eu-south-1": "Z23146JA1KNAFP",
  "eu-south-2": "Z1011216NVTVYADP1SSV",
  "eu-west-1": "Z2IFOLAFXWLO4F",
  "eu-west-2": "ZD4D7Y8KGAS4G",
  "eu-west-3": "Z1CMS0P5QUZ6D5",
  "il-central-1": "Z0313266YDI6ZRHTGQY4",
  "me-central-1": "Z00282643NTTLPANJJG2P",
  "me-south-1": "Z3QSRYVP46NYYV",
  "mx-central-1": "Z02031231H3ID6HYJ9A7U",
  "sa-east-1": "ZTK26PT1VY4CU",
  "us-east-1": "Z26RNL4JYFTOTI",
  "us-east-2": "ZLMOA37VPKANP",
  "us-west-1": "Z24FKFUX50B4VW",
  "us-west-2": "Z18D5FSROUN65G",
};

/** Regions a stack may name in `aws:region`, sorted. */
export const SUPPORTED_REGIONS: readonly string[] = Object.keys(NLB_HOSTED_ZONE_IDS).sort();
