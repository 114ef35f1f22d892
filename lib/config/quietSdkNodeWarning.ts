// Imported first by command-line entry points. Developers' machines and CI run
// Node 20 on purpose (Lambda runs 22); the AWS SDK's reminder to upgrade is noise there.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
