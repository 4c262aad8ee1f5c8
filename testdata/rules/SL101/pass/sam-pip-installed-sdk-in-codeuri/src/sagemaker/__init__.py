from sagemaker.predictor import Predictor  # noqa: F401
