# Regenerates cli-signed.* with the AWS CLI's own string-to-sign (awscli.customizations.cloudtrail.validation,
# Sha256RSADigestValidator._create_string_to_sign) and python-rsa, the library the CLI verifies with. The Go tests
# check that integrity.VerifySignature/SigningString accept it, and that the CLI's validator accepts it too.
import base64, gzip, json, rsa
from awscli.customizations.cloudtrail.validation import Sha256RSADigestValidator

pub, priv = rsa.newkeys(2048)
key = "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2026/11/24/111122223333_CloudTrail-Digest_us-east-2_cli-trail_us-east-2_20261124T150131Z.json.gz"
digest = {
    "awsAccountId": "111122223333", "digestStartTime": "2026-11-24T14:01:31Z", "digestEndTime": "2026-11-24T15:01:31Z",
    "digestS3Bucket": "cli-bucket", "digestS3Object": key,
    "digestPublicKeyFingerprint": "00000000000000000000000000000000", "digestSignatureAlgorithm": "SHA256withRSA",
    "newestEventTime": None, "oldestEventTime": None, "previousDigestS3Bucket": None, "previousDigestS3Object": None,
    "previousDigestHashValue": None, "previousDigestHashAlgorithm": None, "previousDigestSignature": None, "logFiles": [],
}
raw = json.dumps(digest).encode()
v = Sha256RSADigestValidator()
sig = rsa.sign(v._create_string_to_sign(digest, raw), priv, "SHA-256").hex()
der_b64 = base64.b64encode(pub.save_pkcs1(format="DER")).decode()
digest["_signature"] = sig
v.validate("cli-bucket", key, der_b64, digest, raw)  # raises if the CLI would reject it
open("cli-signed.json.gz", "wb").write(gzip.compress(raw))
open("cli-signed.signature.hex", "w").write(sig)
open("cli-signed.publickey.b64", "w").write(der_b64)  # ListPublicKeys Value: PKCS#1 DER
print("ok")
